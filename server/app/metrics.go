package app

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/switchboard-pbx/switchboard/media/switchsvc"
)

// registerSwitchMetrics exports the local switch's figures on /metrics:
// what an administrator watches to see it busy or overloaded. They are
// read at each scrape.
func registerSwitchMetrics(reg prometheus.Registerer, sw *switchsvc.Switch) {
	ua := sw.UA()
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "switchboard_sip_datagram_wait_seconds",
			Help: "Smoothed time a SIP datagram waits in the switch's socket before it is read; new calls are refused with 503 as it grows from 0.15 to 0.3 s."},
			func() float64 { return ua.Overload().Wait.Seconds() }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sip_calls_refused_overload_total",
			Help: "New calls the switch refused with 503 Service Unavailable because it was overloaded."},
			func() float64 { return float64(ua.Overload().Refused) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sip_registers_refused_overload_total",
			Help: "REGISTERs the switch refused with 503 Service Unavailable because it was overloaded (from a datagram wait of 0.3 s)."},
			func() float64 { return float64(ua.Overload().RefusedRegisters) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "switchboard_switch_legs",
			Help: "Call legs on the switch (a two-party call has two)."},
			func() float64 { return float64(len(ua.Legs())) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "switchboard_switch_registrations",
			Help: "Registered SIP contacts on the switch."},
			func() float64 { return float64(len(ua.Registrations())) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "switchboard_rtp_port_pairs_free",
			Help: "RTP/RTCP port pairs of the switch's range not in use by a call."},
			func() float64 { return float64(sw.Ports().Free()) }),
	)
}
