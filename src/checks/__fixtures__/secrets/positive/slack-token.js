const slack = "xoxb-2184736501-9283746501827-Qm7Rt2Lx9Vb4Nc8Kd3Wp5Zs1";
const hook = "https://hooks.slack.com/services/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";
