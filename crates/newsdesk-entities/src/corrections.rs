//! An editor's corrections of a story's entities, as the story-wide merge
//! ([`crate::merge::merge_corrected`]) honours them: two entities merged
//! by name, a spelling split off an entity, an entity renamed.
//!
//! Corrections name entities as the editor saw them: by the name an entity
//! is shown with, or by one of its spellings. A name in a correction means
//! what it meant when the correction was made, so it is read through the
//! renames made before it ([`EntityCorrections::names`]): after "rename A
//! to B", a merge into "B" is a merge into A's mentions.
//!
//! ```
//! use newsdesk_entities::corrections::{EntityCorrection, EntityCorrections, EntityEdit};
//!
//! let mut corrections = EntityCorrections::default();
//! corrections.push(EntityCorrection {
//!     edit: EntityEdit::Rename { entity: "Ilse Varga".into(), to: "Ilse Varga-Holm".into() },
//!     label: "correction 1 by the desk".into(),
//! });
//! let names = corrections.names(1, "Ilse Varga-Holm");
//! assert!(names.contains("ilse varga"));
//! ```

use std::collections::BTreeSet;

use crate::names::fold;

/// What an editor changed of a story's entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntityEdit {
    /// Two entities are one: every mention of `from` joins `into`, whose
    /// name stays.
    Merge {
        /// The entity that stays (its name or a spelling of it).
        into: String,
        /// The entity merged into it (its name or a spelling of it).
        from: String,
    },
    /// The mentions written `spelling` are not entity `entity`: they are
    /// an entity of their own and never merge back into it.
    Split {
        /// The entity they were merged into (its name or a spelling of it).
        entity: String,
        /// The spelling split off, as written.
        spelling: String,
    },
    /// Entity `entity` (its name, else the one entity that has it as a
    /// spelling) is shown as `to`.
    Rename {
        /// Its name (or a spelling of it) before.
        entity: String,
        /// The name it takes.
        to: String,
    },
}

/// One correction, with what the entity's reasons say of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityCorrection {
    /// What it changes.
    pub edit: EntityEdit,
    /// Who made it and why, as the corrected entity's reasons
    /// ([`crate::Entity::why`]) begin ("correction 3 by ana (one man)").
    pub label: String,
}

/// The entity corrections in force, in the order made (a later one wins
/// over an earlier one it contradicts: a split after a merge takes the
/// spelling out again, a merge after a split puts it back).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityCorrections {
    /// The corrections, oldest first.
    pub corrections: Vec<EntityCorrection>,
}

impl EntityCorrections {
    /// Adds a correction made after the others.
    pub fn push(&mut self, correction: EntityCorrection) {
        self.corrections.push(correction);
    }

    /// Whether there is nothing to correct.
    pub fn is_empty(&self) -> bool {
        self.corrections.is_empty()
    }

    /// Whether some correction splits a spelling off an entity.
    pub(crate) fn has_splits(&self) -> bool {
        self.corrections
            .iter()
            .any(|c| matches!(c.edit, EntityEdit::Split { .. }))
    }

    /// The names (folded: see [`key`]) that `name` stands for in the
    /// correction at position `at`: itself, and every name renamed to it
    /// (directly or through a chain of renames) by an earlier correction.
    pub fn names(&self, at: usize, name: &str) -> BTreeSet<String> {
        let mut names = BTreeSet::from([key(name)]);
        let before = self.corrections.get(..at).unwrap_or(&self.corrections);
        // Latest first, so that a chain A -> B -> C read from C finds B
        // and then A.
        for c in before.iter().rev() {
            if let EntityEdit::Rename { entity, to } = &c.edit {
                if names.contains(&key(to)) {
                    names.insert(key(entity));
                }
            }
        }
        names
    }

    /// Whether the rename at position `at` was undone by a later merge of
    /// the renamed entity into another (whose name then stays).
    pub(crate) fn merged_away(&self, at: usize, renamed_to: &str) -> bool {
        let to = key(renamed_to);
        self.corrections
            .iter()
            .enumerate()
            .skip(at + 1)
            .any(|(k, c)| match &c.edit {
                EntityEdit::Merge { from, .. } => self.names(k, from).contains(&to),
                _ => false,
            })
    }
}

/// How corrections compare names: folded (lower case, no diacritics) and
/// with runs of white space as one space.
pub fn key(name: &str) -> String {
    fold(name).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rename(entity: &str, to: &str) -> EntityCorrection {
        EntityCorrection {
            edit: EntityEdit::Rename {
                entity: entity.into(),
                to: to.into(),
            },
            label: "test".into(),
        }
    }

    #[test]
    fn a_name_is_read_through_the_renames_made_before() {
        let mut c = EntityCorrections::default();
        c.push(rename("Piet Ostrava", "Pieter Ostrava"));
        c.push(rename("Pieter Ostrava", "P. Ostrava"));
        c.push(rename("Lund", "Lunde"));
        assert_eq!(
            c.names(3, "p. ostrava"),
            BTreeSet::from([
                "p. ostrava".to_string(),
                "pieter ostrava".into(),
                "piet ostrava".into()
            ])
        );
        // Before the second rename, "P. Ostrava" meant no one else.
        assert_eq!(c.names(1, "P. Ostrava").len(), 1);
    }

    #[test]
    fn names_compare_folded() {
        assert_eq!(key("  Zoë   Åberg "), "zoe aberg");
    }
}
