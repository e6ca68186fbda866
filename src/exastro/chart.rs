//! Facts of the Exastro chart the runbook relies on: where its two ENCRYPT_KEYs live.

/// The secrets holding the ENCRYPT_KEYs the chart generates when the values set none.
pub(crate) const ITA_SECRET: &str = "ita-secret-ita-global";
pub(crate) const PF_SECRET: &str = "platform-secret-pf-global";
/// The values that set those keys instead.
pub(crate) const ITA_KEY_PATH: &str = "global.itaGlobalDefinition.secret.ENCRYPT_KEY";
pub(crate) const PF_KEY_PATH: &str = "global.pfGlobalDefinition.secret.ENCRYPT_KEY";
