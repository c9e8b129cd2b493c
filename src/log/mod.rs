//! The decision log on disk, format 2 (`docs/log.md`): the SQLite store (the only SQL in
//! fairpanel), the hash chain that makes it tamper-evident, how an entry and a caseload are
//! stored with their personal data apart, the writer lock, the upgrade from format 1, and the
//! session that writes a meeting's entries. What may be written
//! is decided by `crate::domain::meeting::Meeting::record`, never here.

mod append;
pub mod backup;
pub mod chain;
mod codec;
pub mod error;
mod lock;
pub mod memory;
pub mod place;
pub mod purge;
mod revision;
mod schema;
pub mod session;
pub mod store;
mod upgrade;

pub use codec::MeetingKey;
pub use error::LogError;
pub use memory::MemoryLog;
pub use session::{Session, now_utc};
pub use store::{LogHead, Store};
