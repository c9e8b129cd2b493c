//! The `fairpanel` binary: everything lives in the library so tests drive the same code.

/// mimalloc: a caseload allocates many small strings; loading and checking 100k cases took
/// 313 ms p95 with the system allocator and 226 ms with mimalloc (`cargo bench --bench perf`,
/// 2 cores). The bench declares the same allocator so it measures what the app does. Built
/// without transparent huge pages (`no_thp`): asking the kernel for 2 MB pages made a short
/// `record` stall on zeroing and compacting memory (20 to 55 ms instead of 15 in the first runs
/// after a large write), and loading 100k cases had a worse p95 with them (346-359 ms against
/// 277-305 ms, same machine, same hour).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    fairpanel::cli::main()
}
