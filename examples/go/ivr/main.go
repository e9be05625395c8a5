// Command ivr is a small auto-attendant served from a route point: it
// answers every call to the route point, plays a greeting tone, collects
// an extension ending in '#', and transfers the caller there (or plays an
// error tone and hangs up).
//
// Create a route point and an application token for it (see the README),
// then run:
//
//	SWITCHBOARD_URL=http://127.0.0.1:8080 SWITCHBOARD_TOKEN=<application token> \
//	  go run ./examples/go/ivr -line 2100
//
// The program watches the route point's line with WatchEvents and resumes
// from the last sequence it saw when the stream breaks.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	"github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1/callcontrolv1connect"
)

func main() {
	line := flag.String("line", "2100", "the route point's extension")
	flag.Parse()
	url, token := os.Getenv("SWITCHBOARD_URL"), os.Getenv("SWITCHBOARD_TOKEN")
	if url == "" {
		url = "http://127.0.0.1:8080"
	}
	if token == "" {
		log.Fatal("set SWITCHBOARD_TOKEN to an application token of the route point")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	calls := callcontrolv1connect.NewCallControlServiceClient(
		connect.NewClient(connecthttp.NewTransport(http.DefaultClient, url), bearer(token)))
	log.Printf("serving route point %s on %s", *line, url)
	if err := serve(ctx, calls, *line, log.Printf); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}
