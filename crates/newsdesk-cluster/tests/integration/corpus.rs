//! The invented articles the state tests share.

use newsdesk_model::{Article, Date, Document};

/// An article through the text stage: a title, a text and a day of
/// March 2024.
pub fn doc(title: &str, text: &str, day: Option<i8>) -> Document {
    let mut article = Article::new(text);
    article.title = Some(title.to_owned());
    article.date = day.map(|d| Date::new(2024, 3, d).expect("date"));
    newsdesk_text::analyze(article)
}

/// Invented reports of two developments, the last a reprint of the first.
pub fn corpus() -> Vec<Document> {
    vec![
        doc("Dam cracks found at Veldmoor", "Engineers found cracks in the Veldmoor dam spillway on Thursday and ordered an evacuation of the valley below the reservoir.", Some(4)),
        doc("Tram line approved in Dunmere", "The Dunmere council voted 27 to 14 for the new tram line through the old town, ending a dispute of six years.", Some(4)),
        doc("Veldmoor dam spillway cracks", "Cracks in the spillway of the Veldmoor dam forced engineers to order the valley evacuated on Thursday.", Some(5)),
        doc("Traders fear tram works", "Shop owners in Dunmere fear that the tram line works will keep customers away for years, the chamber of commerce said.", None),
        doc("Veldmoor evacuees return", "Residents of the Veldmoor valley returned home on Sunday after engineers said the dam spillway had been shored up.", Some(8)),
        doc("Dam cracks found at Veldmoor", "Engineers found cracks in the Veldmoor dam spillway on Thursday and ordered an evacuation of the valley below the reservoir.", Some(4)),
    ]
}
