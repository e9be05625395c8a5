// Command switchbench measures the softswitch (media/switchsvc) on one
// machine. It has a part for each side of a load test, run as separate
// processes so that the switch is measured on its own:
//
//	switchbench switch  runs a switch with synthetic users, serves
//	                    net/http/pprof and runtime figures on a loopback
//	                    port, and writes the figures to a file on an
//	                    interval or on SIGUSR1.
//	switchbench calls   establishes calls through a switch with SIP
//	                    (digest-authenticated caller, registered callee),
//	                    relays G.711 RTP at 50 packets/s each way, steps
//	                    up the number of calls held and reports packet
//	                    loss, delay and the switch's memory per call.
//	switchbench sippstat reads the statistics file of a SIPp run.
//
// scripts/bench drives them, with SIPp for the call-setup and REGISTER
// rates, and prints the figures. Every address is on 127.0.0.0/8 and every
// loop is bounded in count and time.
//
// Synthetic users: user i (1 ≤ i ≤ 8999) has extension 1000+i and one
// device whose SIP user name is u%06d (u000001 …); every password is
// switchtest.Password in realm "switchboard".
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "switch":
		err = runSwitch(args)
	case "calls":
		err = runCalls(args)
	case "sippstat":
		err = runSippStat(args)
	case "-h", "-help", "--help", "help":
		usage()
		return
	default:
		fmt.Fprintf(os.Stderr, "switchbench: unknown command %q\n", cmd)
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "switchbench:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `usage: switchbench <command> [flags]

commands:
  switch     run a switch with synthetic users until killed
  calls      hold relayed G.711 calls through a switch in steps; report loss and memory
  sippstat   summarise a SIPp -stf statistics file

Run "switchbench <command> -h" for the flags of a command.
`)
}
