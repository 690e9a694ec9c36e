//! Settings › Register and VAT, as the window edits them: the shop's SIRET
//! (printed on every receipt and closing), the fiscal year's last day
//! (when yearly closings fall) and each kind of product's tax treatment
//! (`types::tax`, whose defaults the README gives for the accountant to
//! confirm). The command line sets the same keys with `config set`. Each
//! change is a register event (`Comptoir::set_setting`).

use crate::context::Comptoir;
use crate::error::Result;
use crate::settings::{FISCAL_YEAR_END, SIRET};
use crate::types::tax::{self, Treatment};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What the panel shows and saves.
#[derive(ts_rs::TS, Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FiscalSettings {
    /// The shop's SIRET, 14 digits; empty: not set yet.
    pub siret: String,
    /// The fiscal year's last day, `MM-DD` (`12-31` unless set).
    pub fiscal_year_end: String,
    /// One treatment per provider and kind a basket can hold.
    pub taxes: Vec<TaxChoice>,
}

/// A kind of product's tax treatment: `agent`, `mpv` or `vat:RATE`.
#[derive(ts_rs::TS, Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaxChoice {
    pub provider: String,
    pub kind: String,
    pub treatment: String,
    /// The integrator's default, for the panel to say which one it is.
    #[serde(default)]
    pub default: String,
}

pub fn settings(app: &Comptoir) -> Result<FiscalSettings> {
    let s = app.settings()?;
    let taxes = tax::DEFAULTS
        .iter()
        .map(|(provider, kind, default)| TaxChoice {
            provider: provider.to_string(),
            kind: kind.to_string(),
            treatment: s
                .get_str(&tax::setting_key(provider, kind))
                .and_then(|v| v.parse::<Treatment>().ok())
                .unwrap_or(*default)
                .as_string(),
            default: default.as_string(),
        })
        .collect();
    Ok(FiscalSettings {
        siret: s.get_str(SIRET).unwrap_or_default().to_string(),
        fiscal_year_end: s.get_str(FISCAL_YEAR_END).unwrap_or("12-31").to_string(),
        taxes,
    })
}

/// Saves the panel (the owner's): every value is checked before any is
/// written, so a refused one changes nothing. A treatment left at its
/// default is not written while none was chosen, so the register records
/// only what the shop changed.
pub fn set_settings(app: &Comptoir, new: &FiscalSettings) -> Result<()> {
    let current = app.settings()?;
    let mut changes: Vec<(String, Option<Value>)> = Vec::new();
    let siret: String = new.siret.chars().filter(|c| !c.is_whitespace()).collect();
    changes.push((SIRET.into(), (!siret.is_empty()).then(|| siret.into())));
    changes.push((FISCAL_YEAR_END.into(), Some(new.fiscal_year_end.trim().into())));
    for choice in &new.taxes {
        let key = tax::setting_key(&choice.provider, &choice.kind);
        let default = tax::default_for(&choice.provider, &choice.kind).as_string();
        let chosen = choice.treatment.trim();
        if chosen == default && current.get_str(&key).is_none() {
            continue;
        }
        changes.push((key, Some(chosen.into())));
    }
    for (key, value) in &changes {
        app.check_setting(key, value.as_ref())?;
    }
    for (key, value) in changes {
        app.set_setting(&key, value)?;
    }
    Ok(())
}
