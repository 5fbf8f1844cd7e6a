Stripe.api_key = "sk_live_51Hx7Qm2Lx9Vb4Nc8Kd3Wp5Zs1Rt"
