//! Times searches of an existing index folder, one after another:
//! `search_speed INDEX_FOLDER [RUNS] [LIMIT] WORDS…` prints, per query, the hits' total and the
//! p50, p99 and max of the runs' wall times (issue 18: the project's words on its entry only).

use std::path::Path;
use std::time::Instant;

use jixiao_search::{SearchFilter, SearchIndex};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(folder) = args.first() else {
        eprintln!("usage: search_speed INDEX_FOLDER [RUNS] [LIMIT] QUERY…");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let limit: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(50);
    let index = SearchIndex::open(Path::new(folder)).expect("open the index");
    for query in args.iter().skip(3) {
        let mut times = Vec::with_capacity(runs);
        let mut total = 0;
        for _ in 0..runs {
            let start = Instant::now();
            let found = index
                .search(query, &SearchFilter::default(), limit)
                .expect("search");
            times.push(start.elapsed());
            total = found.total;
        }
        times.sort();
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "{query}\ttotal {total}\tp50 {:.2?}\tp99 {:.2?}\tmax {:.2?}",
            at(0.5),
            at(0.99),
            times[times.len() - 1]
        );
    }
}
