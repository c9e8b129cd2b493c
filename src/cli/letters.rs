//! `fairpanel letters`: a letter or notice from a decision, to an owner-only file.

use crate::cli::out::{eprint, print};
use crate::cli::{Failure, LetterFormat, LettersArgs};
use crate::domain::dates::Date;
use crate::io::letters::{self, LetterError, Request};
use crate::log::Store;

impl From<LetterError> for Failure {
    fn from(e: LetterError) -> Self {
        match e {
            LetterError::Log(l) => l.into(),
            LetterError::Read { path, source } => Failure::io(&path, "read the template", source),
            LetterError::Input(m) | LetterError::Template(m) => Failure::BadInput(m),
        }
    }
}

pub(super) fn letters(a: &LettersArgs) -> Result<(), Failure> {
    if let Some(dir) = &a.save_templates {
        let written =
            letters::write_defaults(dir).map_err(|e| Failure::io(dir, "write the templates", e))?;
        for p in &written {
            print(p.display().to_string())
                .map_err(|e| Failure::io(std::path::Path::new("standard output"), "write", e))?;
        }
        eprint(format!(
            "{}: {} template(s) written ({} already there, kept); edit them and pass --templates {}",
            dir.display(),
            written.len(),
            4 - written.len(),
            dir.display()
        ));
        return Ok(());
    }
    let (Some(log), Some(case_ref), Some(kind), Some(out)) = (&a.log, &a.case_ref, a.kind, &a.out)
    else {
        return Err(Failure::BadInput(
            "letters needs --log, --case, --kind and --out (or --save-templates DIR)".to_owned(),
        ));
    };
    let store = Store::open_reader(log)?;
    let req = Request {
        case_ref: case_ref.clone(),
        kind,
        date: a
            .date
            .unwrap_or_else(|| Date(chrono::Local::now().date_naive())),
        contact: usize::from(a.contact) - 1,
        templates: a.templates.clone(),
        academy_reasons: a.academy_reasons.clone(),
        la_response: a.la_response.clone(),
    };
    let doc = letters::build(&store, &req)?;
    let bytes = match a.format {
        LetterFormat::Docx => crate::io::doc::to_docx(&doc)
            .map_err(|e| Failure::Internal(format!("could not lay out the Word letter: {e}")))?,
        LetterFormat::Html => crate::io::doc::to_html(&doc).into_bytes(),
        LetterFormat::Md => crate::io::doc::to_markdown(&doc).into_bytes(),
    };
    crate::io::files::write_atomic(out, &bytes)
        .map_err(|e| Failure::io(out, "write the letter", e))?;
    eprint(format!(
        "{}: {} for {} written (it names the child: keep it owner-only and send it securely)",
        out.display(),
        kind.label(),
        case_ref
    ));
    Ok(())
}
