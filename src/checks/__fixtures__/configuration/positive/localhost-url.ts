export const api = "http://localhost:8080/api";
