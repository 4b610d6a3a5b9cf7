//! A damaged saved state (a store file edited, or written by something
//! else) must be refused with an error or used without panicking.

use std::panic::{catch_unwind, AssertUnwindSafe};

use newsdesk_cluster::{ClusterConfig, Clusterer};
use newsdesk_eval::clustering::SplitMix64;
use serde_json::Value;

use crate::corpus::corpus;

/// JSON pointers to every number and every array in `value`.
fn places(value: &Value, at: String, numbers: &mut Vec<String>, arrays: &mut Vec<String>) {
    match value {
        Value::Number(_) => numbers.push(at),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                places(item, format!("{at}/{i}"), numbers, arrays);
            }
            arrays.push(at);
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                let key = key.replace('~', "~0").replace('/', "~1");
                places(item, format!("{at}/{key}"), numbers, arrays);
            }
        }
        _ => {}
    }
}

/// One random change to `state`: a number replaced, or an array cut short.
fn damage(state: &mut Value, rng: &mut SplitMix64) -> String {
    let (mut numbers, mut arrays) = (Vec::new(), Vec::new());
    places(state, String::new(), &mut numbers, &mut arrays);
    if rng.below(4) == 0 && !arrays.is_empty() {
        let at = arrays[rng.below(arrays.len())].clone();
        if let Some(Value::Array(items)) = state.pointer_mut(&at) {
            if !items.is_empty() {
                let i = rng.below(items.len());
                items.remove(i);
                return format!("{at}: item {i} removed");
            }
        }
        return format!("{at}: empty");
    }
    let at = numbers[rng.below(numbers.len())].clone();
    let new: Value = match rng.below(6) {
        0 => 0.into(),
        1 => 1.into(),
        2 => 3.into(),
        3 => 1_000_000_000u64.into(),
        4 => (-1).into(),
        _ => 0.5.into(),
    };
    let old = state.pointer(&at).cloned().unwrap_or(Value::Null);
    if let Some(place) = state.pointer_mut(&at) {
        *place = new.clone();
    }
    format!("{at}: {old} -> {new}")
}

/// Damaged copies tried: a heavier run (20,000 copies, up to eight
/// changes each) found no panic either.
const TRIALS: usize = 2000;

#[test]
fn a_damaged_state_is_refused_or_used_without_panicking() {
    let docs = corpus();
    let mut clusterer = Clusterer::new(ClusterConfig::default());
    for d in &docs[..4] {
        clusterer.assign(d);
    }
    let saved: Value = serde_json::from_slice(&clusterer.to_json()).expect("state is JSON");
    let mut rng = SplitMix64::new(7);
    let mut failures = Vec::new();
    let (mut refused, mut used) = (0, 0);
    for _ in 0..TRIALS {
        let mut state = saved.clone();
        let changes: Vec<String> = (0..1 + rng.below(3))
            .map(|_| damage(&mut state, &mut rng))
            .collect();
        let bytes = serde_json::to_vec(&state).expect("json");
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            match Clusterer::restore(&bytes, ClusterConfig::default()) {
                Ok(mut restored) => {
                    for d in &docs {
                        restored.assign(d);
                    }
                    let _ = Clusterer::restore(&restored.to_bytes(), ClusterConfig::default());
                    true
                }
                Err(_) => false,
            }
        }));
        match outcome {
            Ok(true) => used += 1,
            Ok(false) => refused += 1,
            Err(_) => failures.push(changes.join("; ")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {TRIALS} damaged states panicked ({refused} refused, {used} used); first: {:#?}",
        failures.len(),
        &failures[..failures.len().min(8)]
    );
    assert!(refused > 0 && used > 0, "{refused} refused, {used} used");
}

#[test]
fn a_damaged_binary_state_is_refused_or_used_without_panicking() {
    let docs = corpus();
    let mut clusterer = Clusterer::new(ClusterConfig::default());
    for d in &docs[..4] {
        clusterer.assign(d);
    }
    let saved = clusterer.to_bytes();
    let mut rng = SplitMix64::new(11);
    let mut panicked = 0;
    for _ in 0..TRIALS {
        let mut bytes = saved.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len());
            match rng.below(3) {
                0 => bytes[at] = rng.below(256) as u8,
                1 => bytes.truncate(at),
                _ => bytes.insert(at, rng.below(256) as u8),
            }
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if let Ok(mut restored) = Clusterer::restore(&bytes, ClusterConfig::default()) {
                for d in &docs {
                    restored.assign(d);
                }
            }
        }));
        panicked += usize::from(outcome.is_err());
    }
    assert_eq!(
        panicked, 0,
        "{panicked} of {TRIALS} damaged binary states panicked"
    );
}
