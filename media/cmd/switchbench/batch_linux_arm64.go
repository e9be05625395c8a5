package main

// sysSendmmsg is the number of sendmmsg(2).
const sysSendmmsg = 269
