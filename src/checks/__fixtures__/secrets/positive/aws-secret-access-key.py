aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Xk2Lm9T"
