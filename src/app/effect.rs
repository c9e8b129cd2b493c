//! What `App::update` asks the runtime to do, and what comes back. `update` itself never writes,
//! reads the clock or touches a file: it returns [`Effect`]s, the runtime performs them and feeds
//! the outcome back as a [`Msg`].

use std::path::PathBuf;

use crate::app::keymap::Action;
use crate::domain::dates::Date;
use crate::domain::event::Proposal;
use crate::domain::meeting::Recorded;
use crate::domain::rules::Hit;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write this entry through the one way in (`Meeting::record`, which checks it again), with
    /// the time from the runtime's clock; answer with `Recorded`, `RecordRefused` or
    /// `RecordFailed`.
    Record(Box<Proposal>),
    /// Build the meeting's minutes from its log and write them beside it in the forms chosen;
    /// answer with `MinutesWritten` or `MinutesFailed`.
    WriteMinutes(MinutesChoice),
    /// Write the next meeting's caseload, on this date, from the log beside it (`fairpanel
    /// next`); answer with `NextWritten` or `NextFailed`.
    WriteNext(Date),
    /// The typo-tolerant pass over the queue's names for this query (`App::similar_hits`),
    /// run after the fuzzy hits are drawn so it never holds up typing; answer with
    /// `SimilarFound`.
    FindSimilar(String),
}

/// Which forms of the minutes `m` writes: the chair picks one, or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesChoice {
    /// JSON, Markdown, HTML and Word, side by side.
    All,
    Word,
    Html,
    Markdown,
    Json,
}

impl MinutesChoice {
    pub const ALL: [MinutesChoice; 5] = [
        MinutesChoice::All,
        MinutesChoice::Word,
        MinutesChoice::Html,
        MinutesChoice::Markdown,
        MinutesChoice::Json,
    ];

    /// In words, as the list shows it.
    pub fn label(self) -> &'static str {
        match self {
            MinutesChoice::All => "All four: Word, HTML, Markdown and JSON",
            MinutesChoice::Word => "Word (.docx), to edit and circulate",
            MinutesChoice::Html => "HTML, one file that prints on A4",
            MinutesChoice::Markdown => "Markdown, for e-mail",
            MinutesChoice::Json => "JSON, the record for other systems",
        }
    }
}

/// Everything `update` takes: keys (through the keymap), the terminal's size and layout, and the
/// outcome of effects.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(Action),
    Resize(u16, u16),
    /// Rows of items the list shows, as the renderer laid it out (paging moves by this).
    ListRows(u16),
    Recorded(Box<Recorded>),
    /// The rules refused the entry when it came to be written; nothing was written.
    RecordRefused(Vec<Hit>),
    /// The log could not write it (a full disk, a lost folder); nothing changed.
    RecordFailed(String),
    /// The minutes were written: the files, first the one chosen.
    MinutesWritten(Vec<PathBuf>),
    MinutesFailed(String),
    /// The next meeting's caseload was written there; what was carried, in words.
    NextWritten(PathBuf, String),
    NextFailed(String),
    /// The similar pass's hits for a query.
    SimilarFound {
        query: String,
        hits: Vec<u32>,
    },
}

impl From<Action> for Msg {
    fn from(a: Action) -> Msg {
        Msg::Key(a)
    }
}
