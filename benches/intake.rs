//! Importing 2,000 referral rows from .xlsx (issue "In from where the data lives": at most 1 s on
//! the 2-core machine): a sheet made with rust_xlsxwriter, then read (calamine), merged into the
//! demo caseload by case reference, checked as `fairpanel check` checks, and written as JSON —
//! everything `fairpanel referrals import` does but the atomic write. Prints p50/p95 over a few
//! runs and the core count; `cargo bench --bench intake`.

use std::time::{Duration, Instant};

use fairpanel::io::referrals::{self, FileKind};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const ROWS: u32 = 2_000;
const RUNS: usize = 7;

fn sheet() -> Vec<u8> {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet();
    ws.set_name("Referrals").expect("name");
    let header = [
        "Case reference",
        "Kind",
        "Referral date",
        "Referred by",
        "Referrer's role",
        "Status",
        "Given name",
        "Family name",
        "Date of birth",
        "Sex",
        "Year group",
        "SEN",
        "Categories",
        "In-year applications",
        "Parent/carer 1 name",
        "Parent/carer 1 phone",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for r in 1..=ROWS {
        // Invented pupils in Y7–Y11 on the demo's meeting date (12 March 2026).
        let year = 2010 + (r % 5) as u16;
        let dob =
            ExcelDateTime::from_ymd(year, 1 + (r % 12) as u8, 1 + (r % 28) as u8).expect("dob");
        let cells = [
            format!("BENCH-{r:05}"),
            "Fair Access".into(),
            String::new(),
            "Walsall Council In-Year Admissions".into(),
            "In-year admissions officer".into(),
            "Unplaced".into(),
            format!("Given{r}"),
            format!("Invented{r}"),
            String::new(),
            if r % 2 == 0 { "Female" } else { "Male" }.into(),
            String::new(),
            "None".into(),
            "g: Housing Options letter".into(),
            "142594 16/02/2026 no place".into(),
            format!("Parent{r} Invented"),
            "07700 900123".into(),
        ];
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16, v).expect("cell");
            }
        }
        let referred = ExcelDateTime::from_ymd(2026, 3, 2).expect("date");
        ws.write_datetime_with_format(r, 2, &referred, &date)
            .expect("date");
        ws.write_datetime_with_format(r, 8, &dob, &date)
            .expect("dob");
    }
    wb.save_to_buffer().expect("xlsx")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let bytes = sheet();
    let base = fairpanel::io::demo::load().expect("demo").caseload;
    println!(
        "fairpanel intake bench · {cores} cores · {ROWS} rows in a {} KB .xlsx · {RUNS} runs",
        bytes.len() / 1000
    );
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let table = referrals::read_table(&bytes, FileKind::Xlsx, None).expect("read");
        let merged = match referrals::import(&table, &[], &base) {
            Ok(m) => m,
            Err(referrals::ImportError::Problems(p)) => panic!("{:#?}", &p[..p.len().min(5)]),
            Err(referrals::ImportError::Usage(u)) => panic!("{u}"),
        };
        let json = fairpanel::io::json::to_safe_string(&merged.caseload).expect("json");
        times.push(t.elapsed());
        assert_eq!(merged.report.added.len(), ROWS as usize);
        assert!(json.len() > 1000);
    }
    times.sort();
    let pct = |p: f64| ms(times[((times.len() as f64 - 1.0) * p).round() as usize]);
    let (p50, p95) = (pct(0.50), pct(0.95));
    println!(
        "import {ROWS} rows (read + merge + check + JSON)  p50 {p50:>8.1} ms  p95 {p95:>8.1} ms  (target ≤ 1000 ms)"
    );
}
