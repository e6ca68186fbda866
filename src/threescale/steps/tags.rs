//! Step 2: add each missing new tag to its image stream (a JSON patch built from data), then wait, with one
//! listing of the image streams per poll, until every tag the triggers will use is imported. A failed
//! import stops the run here, before any trigger changes.

use std::time::Duration;

use crate::ops::k8s::List;
use crate::ops::oc::{ImageStream, ImportState, TagReference};
use crate::ops::openshift::IsTag;
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Action, Said, Step};
use crate::threescale::context::{ComponentPlan, Ctx, TagState};
use crate::wait::{poll, OnInterrupt, Poll};

pub(crate) struct Tags;

fn add_command(ctx: &Ctx, component: &ComponentPlan) -> Cmd {
    let tag = TagReference::docker_image(
        &component.tag.name,
        &component.tag.source,
        &component.tag.display_name,
    );
    ctx.oc.add_tag(&component.stream, &tag)
}

/// Whether the image stream has the spec tag now.
fn has_spec_tag(ctx: &Ctx, runner: &Runner, tag: &IsTag) -> anyhow::Result<bool> {
    let list: List<ImageStream> = runner.json(&ctx.oc.list_imagestreams())?;
    Ok(list
        .items
        .iter()
        .any(|s| s.name() == tag.stream && s.spec_tag(&tag.tag).is_some()))
}

fn to_add(ctx: &Ctx) -> impl Iterator<Item = &ComponentPlan> {
    ctx.plan.iter().filter(|c| c.tag.state == TagState::Add)
}

/// The tags the triggers will use (only for components with work left): `IS:TAG` pairs.
fn awaited(ctx: &Ctx) -> Vec<(String, String)> {
    let mut tags = Vec::new();
    for c in ctx
        .plan
        .iter()
        .filter(|c| c.pending() || c.tag.state == TagState::Add)
    {
        for tag in [&c.tag.name, &c.to_tag] {
            let pair = (c.stream.clone(), tag.clone());
            if !tags.contains(&pair) {
                tags.push(pair);
            }
        }
    }
    tags
}

impl Step<Ctx> for Tags {
    fn title(&self, ctx: &Ctx) -> String {
        let new: Vec<String> = to_add(ctx).map(|c| c.new_tag().to_string()).collect();
        if new.is_empty() {
            "Image stream tags: all present, checking imports".into()
        } else {
            format!("Adding {} image stream tag(s)", new.len())
        }
    }

    fn effect(&self) -> Effect {
        Effect::Mutate
    }

    fn actions(&self, ctx: &Ctx) -> Vec<Action<Ctx>> {
        let mut actions: Vec<Action<Ctx>> = to_add(ctx)
            .map(|c| {
                let (tag, cmd) = (c.new_tag(), add_command(ctx, c));
                Action::code(vec![cmd.clone()], move |ctx, runner| {
                    runner.reporter().step_progress(&format!("adding {tag}"));
                    // An append is not repeated blindly: after a failure that may have landed, the
                    // stream is read.
                    runner.run_checked(&cmd, || has_spec_tag(ctx, runner, &tag))?;
                    ctx.tags_added.push(tag);
                    Ok(Said::Nothing)
                })
            })
            .collect();
        let tags = awaited(ctx);
        let list = ctx.oc.list_imagestreams().note(format!(
            "repeated until {} imported (bounded by --timeout); ImportSuccess=False stops the run before any trigger changes",
            tags.iter()
                .map(|(s, t)| format!("{s}:{t}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        actions.push(Action::code(vec![list.clone()], move |ctx, runner| {
            wait_imported(ctx, runner, &tags, &list)
        }));
        actions
    }
}

/// Waits until every awaited tag imported; what they resolve to is kept for the trigger steps.
fn wait_imported(
    ctx: &mut Ctx,
    runner: &Runner,
    tags: &[(String, String)],
    list_cmd: &Cmd,
) -> anyhow::Result<Said> {
    let resolved = poll(
        runner.reporter(),
        "the image imports",
        ctx.cfg.timeout,
        Duration::from_secs(2),
        OnInterrupt::Stop,
        || {
            let list: List<ImageStream> = runner.json(list_cmd)?;
            let mut pending = Vec::new();
            let mut failed = Vec::new();
            let mut done = Vec::new();
            for (stream, tag) in tags {
                let istag = format!("{stream}:{tag}");
                match list.items.iter().find(|s| s.name() == stream) {
                    None => failed.push(format!("{istag}: image stream {stream} no longer exists")),
                    Some(is) => match is.import_state(tag) {
                        ImportState::Imported(image) => done.push((istag, image)),
                        ImportState::Failed(message) => failed.push(format!(
                            "{istag}: {message}\n    after fixing the source or registry access, re-import it with `{}`",
                            ctx.oc.import_image(stream, tag).display()
                        )),
                        ImportState::Pending => pending.push(istag),
                    },
                }
            }
            if !failed.is_empty() {
                anyhow::bail!("image import failed:\n  {}", failed.join("\n  "));
            }
            if pending.is_empty() {
                Ok(Poll::Ready(done))
            } else {
                Ok(Poll::Pending(format!(
                    "not imported yet: {}",
                    pending.join(", ")
                )))
            }
        },
    )?;
    let count = resolved.len();
    for (istag, image) in resolved {
        ctx.resolved.insert(istag, image);
    }
    Ok(Said::Part(if ctx.tags_added.is_empty() {
        format!("{count} tag(s) present and imported")
    } else {
        format!(
            "added {}; {count} tag(s) imported",
            ctx.tags_added
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }))
}
