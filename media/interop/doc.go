// Package interop holds the switch's interoperability tests with real
// third-party SIP user agents: SIPp scenarios (testdata/sipp: registration
// with digest authentication, authenticated calls at a rate) and two
// baresip phones calling each other through the switch, with each tone
// found in the other phone's recording. The package has no code of its
// own; everything is in its tests and testdata.
//
// The tests need sipp (Debian sip-tester) and baresip (baresip-core); the
// baresip call also needs root, unshare(1) and ip(8), because it runs in a
// private network namespace (see runInNetns). A test whose tool is missing
// skips with a message, and fails instead when CI=true.
//
// Both tools authenticate with MD5 only, the switch's default challenge.
// regressions_test.go keeps the switch bugs these tests found fixed.
package interop
