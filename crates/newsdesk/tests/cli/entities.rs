//! `newsdesk entities --conll`, `eval ner` and `train ner` on CoNLL-2003
//! data (skipped when ../shared is absent) and on made-up lines.

use crate::support::{run, shared_path};

const VALID: &str = "eval/ner/conll2003_valid.txt";
const TRAIN: &str = "eval/ner/conll2003_train.txt";

#[test]
fn eval_ner_on_valid_clears_the_floor() {
    let Some(valid) = shared_path(VALID, "eval_ner_on_valid_clears_the_floor") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("unused.db");
    let out = run(
        &db,
        &["--json", "eval", "ner", valid.to_str().expect("utf-8")],
    )
    .expect_code(0);
    let json = out.json();
    // Measured 0.8997 with the embedded model (P 0.8952, R 0.9042).
    let f1 = json["overall"]["f1"].as_f64().expect("f1");
    assert!(f1 >= 0.895, "overall F1 {f1}");
    assert_eq!(json["overall"]["gold"], 5942);
    for (kind, floor) in [("LOC", 0.94), ("PER", 0.925), ("ORG", 0.82), ("MISC", 0.84)] {
        let f1 = json["types"][kind]["f1"].as_f64().expect("type f1");
        assert!(f1 >= floor, "{kind} F1 {f1} below {floor}");
    }
    assert!(!db.exists(), "eval ner must not create a store");
}

#[test]
fn entities_conll_keeps_every_line_of_valid() {
    let Some(valid) = shared_path(VALID, "entities_conll_keeps_every_line_of_valid") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("unused.db");
    let out = run(
        &db,
        &["entities", "--conll", valid.to_str().expect("utf-8")],
    )
    .expect_code(0);
    let input = std::fs::read_to_string(&valid).expect("read valid");
    assert_eq!(out.stdout.lines().count(), input.lines().count());
    for (got, line) in out.stdout.lines().zip(input.lines()) {
        match line.split_whitespace().next() {
            None => assert_eq!(got, ""),
            Some(token) => {
                let (word, tag) = got.split_once(' ').expect("token and tag");
                assert_eq!(word, token);
                assert!(newsdesk_entities_tag(tag), "bad tag {tag:?}");
            }
        }
    }
}

fn newsdesk_entities_tag(tag: &str) -> bool {
    tag == "O"
        || ["B-", "I-"].iter().any(|p| {
            tag.strip_prefix(p)
                .is_some_and(|t| ["PER", "ORG", "LOC", "MISC"].contains(&t))
        })
}

#[test]
fn entities_conll_tags_made_up_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("tokens.conll");
    std::fs::write(
        &file,
        "-DOCSTART- -X- -X- O\n\nPeter NNP\nBlackburn NNP\nsaid VBD\nin IN\nLondon NNP\n.\n\nThe\nUnited\nNations\nmet\n.\n",
    )
    .expect("write");
    let db = dir.path().join("unused.db");
    let out = run(&db, &["entities", "--conll", file.to_str().expect("utf-8")]).expect_code(0);
    assert_eq!(
        out.stdout,
        "-DOCSTART- O\n\nPeter B-PER\nBlackburn I-PER\nsaid O\nin O\nLondon B-LOC\n. O\n\nThe O\nUnited B-ORG\nNations I-ORG\nmet O\n. O\n"
    );
}

#[test]
fn train_ner_on_a_slice_is_reproducible_and_loads() {
    let Some(train) = shared_path(TRAIN, "train_ner_on_a_slice_is_reproducible_and_loads") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    // The first 3,000 lines, cut at a sentence end.
    let text = std::fs::read_to_string(&train).expect("read train");
    let mut slice = String::new();
    for (n, line) in text.lines().enumerate() {
        slice.push_str(line);
        slice.push('\n');
        if n >= 3000 && line.trim().is_empty() {
            break;
        }
    }
    let slice_path = dir.path().join("slice.txt");
    std::fs::write(&slice_path, &slice).expect("write slice");
    let db = dir.path().join("unused.db");
    let mut models = Vec::new();
    for name in ["a.model", "b.model"] {
        let model = dir.path().join(name);
        run(
            &db,
            &[
                "train",
                "ner",
                "--train",
                slice_path.to_str().expect("utf-8"),
                "--out",
                model.to_str().expect("utf-8"),
                "--tune",
                "epochs=3",
            ],
        )
        .expect_code(0);
        models.push(std::fs::read(&model).expect("model written"));
    }
    assert_eq!(models[0], models[1], "training is deterministic");
    let model = dir.path().join("a.model");
    let out = run(
        &db,
        &[
            "--json",
            "eval",
            "ner",
            slice_path.to_str().expect("utf-8"),
            "--model",
            model.to_str().expect("utf-8"),
        ],
    )
    .expect_code(0);
    // Tagging its own training data, the model should be nearly perfect.
    let f1 = out.json()["overall"]["f1"].as_f64().expect("f1");
    assert!(f1 > 0.9, "F1 on the training slice {f1}");
}

#[test]
fn eval_ner_names_a_bad_tag_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bad.conll");
    std::fs::write(&file, "EU NNP B-ORG\nrejects VBZ B-VERB\n").expect("write");
    let db = dir.path().join("unused.db");
    let out = run(&db, &["eval", "ner", file.to_str().expect("utf-8")]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("line 2"), "{}", out.stderr);
}
