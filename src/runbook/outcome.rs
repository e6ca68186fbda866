//! How a run ended: the steps' records, the failure and its recovery, the retried calls; the exit code
//! and the JSON fields every report shares.

use super::StepRecord;
use crate::exit::Exit;

/// How a run ended.
pub(crate) struct RunOutcome {
    pub(crate) records: Vec<StepRecord>,
    pub(crate) recovery_records: Vec<StepRecord>,
    pub(crate) finished_early: Option<String>,
    pub(crate) failure: Option<Failure>,
    /// Calls that needed more than one attempt (API blips ridden out, or not).
    pub(crate) retries: Vec<crate::process::RetriedCall>,
}

pub(crate) struct Failure {
    pub(crate) step: String,
    pub(crate) error: anyhow::Error,
    /// Whether anything had changed when it failed.
    pub(crate) changed: bool,
    pub(crate) interrupted: bool,
    /// The recovery's own error, if it ran and failed.
    pub(crate) recovery_error: Option<anyhow::Error>,
}

impl Failure {
    /// `error: <step> failed: <cause>`, or for an interrupt between steps `error: stopped before <step>: ...`.
    pub(crate) fn headline(&self) -> String {
        if crate::exit::is_declined(&self.error) {
            return "Cancelled at the confirmation.".into();
        }
        let stopped_between_steps =
            self.interrupted && crate::exit::code_of(&self.error) == Exit::Interrupted;
        let prefix = if stopped_between_steps {
            format!("error: stopped before \"{}\": ", self.step)
        } else {
            format!("error: {} failed: ", self.step)
        };
        crate::exit::render_error(&self.error).replacen("error: ", &prefix, 1)
    }
}

impl RunOutcome {
    /// The report's "time per step" section: each step that ran, its title padded to `width`.
    pub(crate) fn time_per_step(&self, width: usize) -> String {
        let mut text = String::from("  time per step:\n");
        for rec in self
            .records
            .iter()
            .filter(|r| r.state == super::StepState::Done)
        {
            text.push_str(&format!(
                "    {:<width$} {}\n",
                rec.title,
                crate::output::format_elapsed(std::time::Duration::from_secs_f64(rec.seconds))
            ));
        }
        text
    }

    /// One word for machines: failed, nothing-to-do, planned or upgraded.
    pub(crate) fn status_word(&self, preview: bool) -> &'static str {
        match (&self.failure, &self.finished_early, preview) {
            (Some(_), _, _) => "failed",
            (None, Some(_), _) => "nothing-to-do",
            (None, None, true) => "planned",
            (None, None, false) => "upgraded",
        }
    }

    /// A run's JSON result with the fields every run has: exit_code, error, message.
    pub(crate) fn json_result(
        &self,
        mut value: serde_json::Value,
        error: Option<&str>,
    ) -> serde_json::Value {
        value["exit_code"] = serde_json::json!(self.exit() as i32);
        value["retries"] = serde_json::json!(self.retries);
        if let Some(text) = error {
            value["error"] = serde_json::json!(text);
        }
        if let Some(reason) = &self.finished_early {
            value["message"] = serde_json::json!(reason);
        }
        value
    }

    /// For people: how many calls needed more than one attempt, by cause (empty when none did).
    pub(crate) fn retries_text(&self) -> String {
        if self.retries.is_empty() {
            return String::new();
        }
        let mut causes: Vec<String> = self
            .retries
            .iter()
            .map(|r| {
                serde_json::to_value(r.cause).map_or_else(
                    |_| String::new(),
                    |v| v.as_str().unwrap_or_default().replace('_', " "),
                )
            })
            .collect();
        causes.sort();
        causes.dedup();
        format!(
            "API blips ridden out: {} call(s) needed more than one attempt ({}); `-o json` lists them under `retries`.\n",
            self.retries.len(),
            causes.join(", ")
        )
    }

    pub(crate) fn exit(&self) -> Exit {
        match &self.failure {
            None => Exit::Ok,
            Some(f) if !f.changed => crate::exit::code_of(&f.error),
            Some(f) if f.recovery_error.is_some() => Exit::NotRestored,
            Some(f) if f.interrupted => Exit::Interrupted,
            Some(_) => Exit::FailedRestored,
        }
    }
}
