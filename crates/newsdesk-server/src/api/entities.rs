//! Entities across stories: the persons, organisations and places of the
//! stories a name or a filter picks, each with its spellings and stories.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::Json;
use newsdesk_model::StoryId;
use serde::{Deserialize, Serialize};

use crate::api::given;
use crate::api::stories::{page, StoryQuery, StorySort};
use crate::problem::{log_error, Problem};
use crate::state::AppState;

/// Which entities.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntityQuery {
    /// Entities whose name or a spelling contains this (any case); the
    /// stories read are those whose text names it.
    pub name: Option<String>,
    /// Only `person`, `organisation`, `place` or `other`.
    pub kind: Option<String>,
    /// How many stories to read, most recently grown first (default 20,
    /// at most 100; more is taken as 100).
    #[param(minimum = 1)]
    pub stories: Option<u32>,
}

/// One entity across the stories read.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EntitySummary {
    /// Its name.
    pub name: String,
    /// `person`, `organisation`, `place` or `other`.
    pub kind: String,
    /// Every spelling met.
    pub variants: Vec<String>,
    /// The stories that name it.
    pub stories: Vec<u64>,
    /// How many of their articles name it.
    pub articles: usize,
}

/// Entities.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EntityList {
    /// The entities, most articles first.
    pub entities: Vec<EntitySummary>,
    /// The stories read.
    pub stories_read: Vec<u64>,
}

/// The persons, organisations and places of the stories that name
/// `name` (or of the most recently grown stories), each with its
/// spellings and the stories that name it. The editor's corrections of
/// entities are honoured.
#[utoipa::path(
    get,
    path = "/api/v1/entities",
    operation_id = "list_entities",
    tag = "stories",
    params(EntityQuery),
    responses(
        (status = 200, description = "The entities, most articles first", body = EntityList),
    )
)]
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    Query(query): Query<EntityQuery>,
) -> Result<Json<EntityList>, Problem> {
    let name = given(query.name);
    let kind = given(query.kind).map(|k| k.to_ascii_lowercase());
    let limit = query.stories.map_or(20, |n| n.clamp(1, 100));
    let stories: Vec<StoryId> = page(
        &state,
        StoryQuery {
            entity: name.clone(),
            sort: Some(StorySort::Recent),
            limit: Some(limit),
            ..StoryQuery::default()
        },
    )
    .await?
    .stories
    .into_iter()
    .map(|s| s.summary.id)
    .collect();
    let read = stories.clone();
    let found = state
        .read(move |store| {
            let analyzer = newsdesk_entities::Analyzer::embedded().map_err(|e| {
                log_error(&e);
                Problem::internal()
            })?;
            let mut all = Vec::new();
            for story in read {
                let entities = newsdesk_desk::story::story_entities(store, story, analyzer)?;
                all.push((story, entities));
            }
            Ok(all)
        })
        .await?;
    let needle = name.as_deref().map(str::to_lowercase);
    let mut merged: BTreeMap<(String, String), EntitySummary> = BTreeMap::new();
    for (story, entities) in found {
        for e in entities {
            let k = e.kind.as_str().to_owned();
            if kind.as_ref().is_some_and(|want| *want != k) {
                continue;
            }
            if let Some(n) = &needle {
                let hit = e.name.to_lowercase().contains(n.as_str())
                    || e.variants
                        .iter()
                        .any(|v| v.to_lowercase().contains(n.as_str()));
                if !hit {
                    continue;
                }
            }
            let entry = merged
                .entry((e.name.clone(), k.clone()))
                .or_insert_with(|| EntitySummary {
                    name: e.name.clone(),
                    kind: k,
                    variants: Vec::new(),
                    stories: Vec::new(),
                    articles: 0,
                });
            for v in e.variants {
                if !entry.variants.contains(&v) {
                    entry.variants.push(v);
                }
            }
            entry.variants.sort();
            entry.stories.push(story);
            entry.articles += e.articles.len();
        }
    }
    let mut entities: Vec<EntitySummary> = merged.into_values().collect();
    entities.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(Json(EntityList {
        entities,
        stories_read: stories,
    }))
}
