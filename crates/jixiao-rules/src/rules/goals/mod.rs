//! G: the goal is stated and backed by indicators.

mod boilerplate_goal;
mod goal_missing;
mod goal_promise_unmeasured;

use super::Rule;

pub const RULES: &[&dyn Rule] = &[
    &goal_missing::GoalMissing,
    &boilerplate_goal::BoilerplateGoal,
    &goal_promise_unmeasured::GoalPromiseUnmeasured,
];
