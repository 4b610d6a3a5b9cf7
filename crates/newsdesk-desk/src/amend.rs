//! An editor's corrections of entities and facts, turned into what the
//! stages take: [`Amendments`] holds the entity corrections for the
//! story-wide entity merge ([`EntityCorrections`]) and the fact
//! corrections for the fact table ([`FactCorrections`]).
//!
//! Nothing a story shows of its entities or facts is stored: both are
//! assembled again from the stored documents on every read, and the
//! corrections in force with them ([`Amendments::load`]), so a correction
//! holds through every re-linking and ingest, and an undone one is simply
//! no longer read. The corrections of stories (merges, moves, splits of
//! events) are story linking's, not these.
//!
//! ```
//! use newsdesk_desk::amend::Amendments;
//! use newsdesk_model::correction::{Correction, CorrectionRecord};
//!
//! let record = CorrectionRecord {
//!     id: 1,
//!     correction: Correction::RenameEntity { entity: "Ilse Varga".into(), to: "Ilse Varga-Holm".into() },
//!     by: "ana".into(),
//!     at: "2026-12-07T10:00:00Z".into(),
//!     reason: None,
//!     undone_at: None,
//! };
//! let amendments = Amendments::of([&record]);
//! assert_eq!(amendments.entities.corrections.len(), 1);
//! assert!(amendments.facts.is_empty());
//! ```

use newsdesk_entities::corrections::{key, EntityCorrection, EntityCorrections, EntityEdit};
use newsdesk_entities::Entity;
use newsdesk_facts::corrections::FactCorrections;
use newsdesk_model::correction::{Correction, CorrectionRecord};
use newsdesk_store::Store;

use crate::DeskError;

/// The corrections of entities and facts in force, as the entity merge
/// and the fact table take them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Amendments {
    /// Entities merged, spellings split off, entities renamed, in the
    /// order made.
    pub entities: EntityCorrections,
    /// Figures and quotes rejected, quotes re-attributed.
    pub facts: FactCorrections,
}

impl Amendments {
    /// The amendments of the store's corrections in force.
    pub fn load(store: &dyn Store) -> Result<Amendments, DeskError> {
        Ok(Amendments::of(&store.corrections()?))
    }

    /// The amendments of `records` (in the order made): undone ones and
    /// corrections of stories are left out. A quote's new speaker is read
    /// through the renames and merges of entities made after it (a quote
    /// given to "A", then "A" renamed "B", is B's).
    pub fn of<'a>(records: impl IntoIterator<Item = &'a CorrectionRecord>) -> Amendments {
        let in_force: Vec<&CorrectionRecord> = records
            .into_iter()
            .filter(|r| r.undone_at.is_none())
            .collect();
        let mut out = Amendments::default();
        for (at, record) in in_force.iter().enumerate() {
            let edit = match &record.correction {
                Correction::MergeEntities { into, from } => EntityEdit::Merge {
                    into: into.clone(),
                    from: from.clone(),
                },
                Correction::SplitSpelling { entity, spelling } => EntityEdit::Split {
                    entity: entity.clone(),
                    spelling: spelling.clone(),
                },
                Correction::RenameEntity { entity, to } => EntityEdit::Rename {
                    entity: entity.clone(),
                    to: to.clone(),
                },
                Correction::RejectFigure { article, start } => {
                    out.facts
                        .rejected_figures
                        .insert((article.to_string(), *start));
                    continue;
                }
                Correction::RejectQuote { article, start } => {
                    out.facts
                        .rejected_quotes
                        .insert((article.to_string(), *start));
                    continue;
                }
                Correction::AttributeQuote {
                    article,
                    start,
                    speaker,
                } => {
                    let speaker = named_later(speaker, in_force.get(at + 1..).unwrap_or(&[]));
                    out.facts
                        .speakers
                        .insert((article.to_string(), *start), speaker);
                    continue;
                }
                Correction::MergeStories { .. }
                | Correction::Move { .. }
                | Correction::SplitEvent { .. } => continue,
            };
            out.entities.push(EntityCorrection {
                edit,
                label: label(record),
            });
        }
        out
    }

    /// The fact corrections for a story whose (corrected) entities are
    /// `entities`: a quote's new speaker goes by the name of the story's
    /// entity called so, else of the one entity that has it as a spelling
    /// (given to "Rune Falk", merged into "Oskar Halvorsen", it is
    /// Halvorsen's); else as the editor wrote it.
    pub fn facts_in(&self, entities: &[Entity]) -> FactCorrections {
        let mut facts = self.facts.clone();
        for speaker in facts.speakers.values_mut() {
            let wanted = key(speaker);
            let named = entities.iter().find(|e| key(&e.name) == wanted);
            let written = || {
                let mut found = entities
                    .iter()
                    .filter(|e| e.variants.iter().any(|v| key(v) == wanted));
                match (found.next(), found.next()) {
                    (Some(one), None) => Some(one),
                    _ => None,
                }
            };
            if let Some(entity) = named.or_else(written) {
                speaker.clone_from(&entity.name);
            }
        }
        facts
    }
}

/// What an entity's reasons say of a correction: its number, who made it
/// and why.
fn label(record: &CorrectionRecord) -> String {
    match &record.reason {
        Some(reason) => format!("correction {} by {} ({reason})", record.id, record.by),
        None => format!("correction {} by {}", record.id, record.by),
    }
}

/// The name `speaker` goes by after the `later` corrections: each rename
/// of it, and each merge of it into another entity, in order.
fn named_later(speaker: &str, later: &[&CorrectionRecord]) -> String {
    let mut name = speaker.to_string();
    for record in later {
        match &record.correction {
            Correction::RenameEntity { entity, to } if key(entity) == key(&name) => {
                name.clone_from(to);
            }
            Correction::MergeEntities { into, from } if key(from) == key(&name) => {
                name.clone_from(into);
            }
            _ => {}
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use newsdesk_model::ArticleId;

    use super::*;

    fn record(id: u64, correction: Correction) -> CorrectionRecord {
        CorrectionRecord {
            id,
            correction,
            by: "ana".into(),
            at: "2026-12-07T10:00:00Z".into(),
            reason: None,
            undone_at: None,
        }
    }

    #[test]
    fn only_corrections_in_force_of_entities_and_facts_are_taken_in_order() {
        let mut undone = record(
            2,
            Correction::RejectFigure {
                article: ArticleId("a".into()),
                start: 7,
            },
        );
        undone.undone_at = Some("2026-12-07T11:00:00Z".into());
        let mut merge = record(
            3,
            Correction::MergeEntities {
                into: "Ilse Varga".into(),
                from: "I. Varga".into(),
            },
        );
        merge.reason = Some("one woman".into());
        let records = [
            record(
                1,
                Correction::SplitEvent {
                    event: 4,
                    articles: vec![ArticleId("a".into())],
                },
            ),
            undone,
            merge,
            record(
                4,
                Correction::RejectQuote {
                    article: ArticleId("b".into()),
                    start: 12,
                },
            ),
            record(
                5,
                Correction::RenameEntity {
                    entity: "Ilse Varga".into(),
                    to: "Ilse Varga-Holm".into(),
                },
            ),
        ];
        let got = Amendments::of(&records);
        assert_eq!(
            got.entities.corrections,
            [
                EntityCorrection {
                    edit: EntityEdit::Merge {
                        into: "Ilse Varga".into(),
                        from: "I. Varga".into()
                    },
                    label: "correction 3 by ana (one woman)".into()
                },
                EntityCorrection {
                    edit: EntityEdit::Rename {
                        entity: "Ilse Varga".into(),
                        to: "Ilse Varga-Holm".into()
                    },
                    label: "correction 5 by ana".into()
                }
            ]
        );
        assert!(got.facts.rejected_figures.is_empty());
        assert!(got.facts.rejects_quote("b", 12));
    }

    #[test]
    fn a_quotes_new_speaker_follows_later_renames_and_merges() {
        let attribute = record(
            1,
            Correction::AttributeQuote {
                article: ArticleId("a".into()),
                start: 40,
                speaker: "H. Brenn".into(),
            },
        );
        let merge = record(
            2,
            Correction::MergeEntities {
                into: "Harald Brenn".into(),
                from: "h. brenn".into(),
            },
        );
        let rename = record(
            3,
            Correction::RenameEntity {
                entity: "Harald Brenn".into(),
                to: "Harald J. Brenn".into(),
            },
        );
        let got = Amendments::of([&rename, &attribute, &merge]);
        assert_eq!(got.facts.speaker("a", 40), Some("Harald Brenn"));
        let got = Amendments::of([&attribute, &merge, &rename]);
        assert_eq!(got.facts.speaker("a", 40), Some("Harald J. Brenn"));
    }
}
