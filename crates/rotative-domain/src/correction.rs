use jiff::Timestamp;
use serde::Serialize;

/// A correction repairs an error; an update adds what became known later. Readers see which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CorrectionKind {
    Correction,
    Update,
}

impl CorrectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Correction => "correction",
            Self::Update => "update",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "correction" => Some(Self::Correction),
            "update" => Some(Self::Update),
            _ => None,
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Correction => "Correction",
            Self::Update => "Mise à jour",
        }
    }
}

/// A dated public note on a published story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub kind: CorrectionKind,
    pub note: String,
    pub at: Timestamp,
}
