const client = new Octokit({ auth: "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A" });
