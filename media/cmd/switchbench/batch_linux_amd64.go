package main

// sysSendmmsg is the number of sendmmsg(2), which package syscall lacks here.
const sysSendmmsg = 307
