export const config = { clientSecret: "Qm7Rt2Lx9Vb4Nc8Kd3Wp5Zs" };
