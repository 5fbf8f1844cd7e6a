const t = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
