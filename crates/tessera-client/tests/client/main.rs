//! The client against a real Tessera server over loopback HTTP, clocks set by hand on both
//! sides. One test binary, so the server is linked once.

mod activation;
mod clock;
mod failover;
mod faults;
mod grace;
mod offline;
mod support;
mod sync;
mod versions;
