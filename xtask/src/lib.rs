//! Project tasks: generated docs, the corpus generator, the evaluation of the review engine
//! against planted mistakes, the reading eval against hand labels, and benchmarks on generated corpora.

pub mod bench;
pub mod clibench;
pub mod corpus;
pub mod eval;
pub mod flatten;
pub mod fuzz;
pub mod load;
pub mod reading;
pub mod speed;
pub mod xls;
