//! The `fairpanel` binary: everything lives in the library so tests drive the same code.

/// mimalloc: a caseload allocates many small strings; loading and checking 100k cases took
/// 313 ms p95 with the system allocator and 226 ms with mimalloc (`cargo bench --bench perf`,
/// 2 cores). The bench declares the same allocator so it measures what the app does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    fairpanel::cli::main()
}
