//! The decision log on disk: the SQLite store (the only SQL in fairpanel), the hash chain that
//! makes it tamper-evident, and the session that writes a meeting's entries. What may be written
//! is decided by `crate::domain::meeting::Meeting::record`, never here.

pub mod chain;
pub mod memory;
pub mod session;
pub mod store;

pub use memory::MemoryLog;
pub use session::{Session, now_utc};
pub use store::{LogError, Store};
