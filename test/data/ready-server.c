// A tiny HTTP service for the start-up tests (EX50, EX51), compiled static so that it runs FROM scratch:
// argv[1] = milliseconds before it listens on 127.0.0.1:8080, argv[2] = 1 to stop on SIGTERM (0: no handler).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
static volatile int stop = 0;
static void onterm(int s) { (void)s; stop = 1; }
int main(int argc, char **argv) {
  int delay = argc > 1 ? atoi(argv[1]) : 0;
  int graceful = argc > 2 ? atoi(argv[2]) : 1;
  if (graceful) { struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = onterm; sigaction(SIGTERM, &sa, 0); }
  usleep(delay * 1000);
  int fd = socket(AF_INET, SOCK_STREAM, 0); int one = 1; setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a; memset(&a, 0, sizeof a); a.sin_family = AF_INET; a.sin_port = htons(8080); a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 16)) { perror("listen"); return 2; }
  printf("listening\n"); fflush(stdout);
  while (!stop) {
    fd_set r; FD_ZERO(&r); FD_SET(fd, &r); struct timeval tv = {0, 100000};
    if (select(fd + 1, &r, 0, 0, &tv) > 0) { int c = accept(fd, 0, 0); if (c >= 0) { const char *m = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"; write(c, m, strlen(m)); close(c); } }
  }
  printf("stopping\n"); fflush(stdout);
  return 0;
}
