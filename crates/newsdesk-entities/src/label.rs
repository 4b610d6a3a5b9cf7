//! Entity types, IOB2 tags and entity spans.

use std::fmt;

/// One of CoNLL-2003's four entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityType {
    /// People.
    Per,
    /// Organisations.
    Org,
    /// Locations.
    Loc,
    /// Other names: nationalities, events, works, products.
    Misc,
}

impl EntityType {
    /// All types, in tag-index order.
    pub const ALL: [EntityType; 4] = [
        EntityType::Per,
        EntityType::Org,
        EntityType::Loc,
        EntityType::Misc,
    ];

    /// The CoNLL name (`PER`, `ORG`, `LOC`, `MISC`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }

    /// Parses a CoNLL type name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A token's tag: outside, or beginning or inside an entity of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tag {
    /// Not part of an entity.
    O,
    /// The first token of an entity (IOB1 uses it only between two
    /// adjacent entities of one type).
    B(EntityType),
    /// A following token of an entity (IOB1: any token of one).
    I(EntityType),
}

/// How many distinct tags there are (`O` and `B`/`I` of four types).
pub const TAG_COUNT: usize = 9;

impl Tag {
    /// The tag with this index (`0..TAG_COUNT`), `O` for any other.
    pub fn from_index(index: usize) -> Tag {
        match index {
            1..=4 => Tag::B(EntityType::ALL[index - 1]),
            5..=8 => Tag::I(EntityType::ALL[index - 5]),
            _ => Tag::O,
        }
    }

    /// This tag's index in `0..TAG_COUNT`.
    pub fn index(self) -> usize {
        match self {
            Tag::O => 0,
            Tag::B(t) => 1 + t.index(),
            Tag::I(t) => 5 + t.index(),
        }
    }

    /// The entity type, if any.
    pub fn entity_type(self) -> Option<EntityType> {
        match self {
            Tag::O => None,
            Tag::B(t) | Tag::I(t) => Some(t),
        }
    }

    /// Parses `O`, `B-PER`, `I-LOC`, … (CoNLL's spelling).
    pub fn parse(text: &str) -> Option<Tag> {
        if text == "O" {
            return Some(Tag::O);
        }
        let (prefix, name) = text.split_once('-')?;
        let kind = EntityType::parse(name)?;
        match prefix {
            "B" => Some(Tag::B(kind)),
            "I" => Some(Tag::I(kind)),
            _ => None,
        }
    }

    /// Whether an IOB2 sequence may put this tag after `previous`: an
    /// `I-X` only continues a `B-X` or `I-X`.
    pub fn may_follow(self, previous: Tag) -> bool {
        match self {
            Tag::I(t) => previous.entity_type() == Some(t),
            _ => true,
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::O => f.write_str("O"),
            Tag::B(t) => write!(f, "B-{}", t.as_str()),
            Tag::I(t) => write!(f, "I-{}", t.as_str()),
        }
    }
}

/// Rewrites one sentence's tags from IOB1 (or a mix) to IOB2: an `I-X`
/// that does not continue an entity of type X starts one, so it becomes
/// `B-X`. IOB2 input is returned unchanged.
pub fn to_iob2(tags: &mut [Tag]) {
    let mut previous = Tag::O;
    for tag in tags.iter_mut() {
        if let Tag::I(t) = *tag {
            if !tag.may_follow(previous) {
                *tag = Tag::B(t);
            }
        }
        previous = *tag;
    }
}

/// An entity: tokens `start..end` of a sentence, of one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TokenSpan {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The entity's type.
    pub kind: EntityType,
}

/// The entities of one sentence's tags, read as conlleval reads them: a
/// chunk starts at `B-X`, or at `I-X` after anything but `B-X`/`I-X`, and
/// ends before the next tag that does not continue it.
pub fn spans(tags: &[Tag]) -> Vec<TokenSpan> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, &tag) in tags.iter().enumerate() {
        let continues = matches!((tag, open), (Tag::I(t), Some((_, o))) if t == o);
        if continues {
            continue;
        }
        if let Some((start, kind)) = open.take() {
            out.push(TokenSpan {
                start,
                end: i,
                kind,
            });
        }
        if let Some(kind) = tag.entity_type() {
            open = Some((i, kind));
        }
    }
    if let Some((start, kind)) = open {
        out.push(TokenSpan {
            start,
            end: tags.len(),
            kind,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<Tag> {
        text.split_whitespace()
            .map(|t| Tag::parse(t).expect("tag"))
            .collect()
    }

    #[test]
    fn indexes_round_trip() {
        for i in 0..TAG_COUNT {
            let tag = Tag::from_index(i);
            assert_eq!(tag.index(), i);
            assert_eq!(Tag::parse(&tag.to_string()), Some(tag));
        }
        assert_eq!(Tag::parse("B-DATE"), None);
        assert_eq!(Tag::parse("E-PER"), None);
    }

    #[test]
    fn iob1_becomes_iob2() {
        let mut t = tags("I-PER I-PER O I-LOC B-LOC I-ORG I-MISC");
        to_iob2(&mut t);
        assert_eq!(t, tags("B-PER I-PER O B-LOC B-LOC B-ORG B-MISC"));
    }

    #[test]
    fn spans_follow_conlleval() {
        let t = tags("B-PER I-PER B-PER I-ORG O I-LOC I-LOC");
        let s: Vec<_> = spans(&t)
            .iter()
            .map(|s| (s.start, s.end, s.kind.as_str()))
            .collect();
        assert_eq!(
            s,
            vec![(0, 2, "PER"), (2, 3, "PER"), (3, 4, "ORG"), (5, 7, "LOC")]
        );
    }
}
