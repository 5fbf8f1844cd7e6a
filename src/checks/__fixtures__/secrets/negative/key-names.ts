const TOKEN_CACHE_KEY = 'openid-configuration:';
export const SECRET_STORAGE_KEY = 'app.session.secret';
const PASSWORD_FIELD = 'spring.datasource.password';
