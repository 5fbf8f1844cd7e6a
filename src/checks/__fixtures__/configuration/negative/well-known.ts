// see http://localhost:3000 while developing
const base = new URL(req.url, "http://localhost");
const everything = "0.0.0.0";
forbidden.add("169.254.169.254");
const net = "10.0.0.0";
