//! The decision log: events, the replayed state, and the hash chain that makes it
//! tamper-evident. SQL lives only in `crate::store`.

pub mod chain;
pub mod event;
pub mod state;

pub use event::{Attendance, Decision, Entry, Event, Outcome};
pub use state::LogState;
