//! Files in and out: caseloads and where their problems sit, GIAS extracts, the minutes, atomic
//! owner-only writes, JSON safe for a terminal, and the embedded demo. Everything here reads or
//! writes bytes; what the bytes mean is the domain's.

pub mod caseload;
pub mod ctf;
pub mod demo;
pub mod diag;
pub mod doc;
pub mod files;
pub mod gias;
pub mod history;
pub mod init;
pub mod json;
pub mod letters;
pub mod minutes;
pub mod minutes_text;
pub mod next;
pub mod referrals;
pub mod synth;
pub mod text;
