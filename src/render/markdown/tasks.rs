//! Task-list items (`- [ ]`, `- [x]`): recorded with their text and file line, and shown
//! as labelled checkboxes.

use super::lines::Lines;
use crate::domain::document::Task;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

/// A list item being read.
struct OpenItem {
    start: usize,
    task: Option<Task>,
}

/// The task items of a body in reading order, each with the text of its own item
/// (not of the items nested in it).
pub(super) fn collect(events: &[(Event, Range<usize>)], lines: &Lines) -> Vec<Task> {
    let mut tasks = Vec::new();
    // Open list items, innermost last.
    let mut items: Vec<OpenItem> = Vec::new();
    for (event, range) in events {
        match event {
            Event::Start(Tag::Item) => items.push(OpenItem {
                start: range.start,
                task: None,
            }),
            Event::TaskListMarker(done) => {
                if let Some(item) = items.last_mut() {
                    item.task = Some(Task {
                        done: *done,
                        text: String::new(),
                        line: lines.position(item.start).0,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(task) = open_task(&mut items) {
                    task.text.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(task) = open_task(&mut items) {
                    task.text.push(' ');
                }
            }
            Event::End(TagEnd::Item) => {
                if let Some(task) = items.pop().and_then(|i| i.task) {
                    tasks.push(Task {
                        text: task.text.trim().to_string(),
                        ..task
                    });
                }
            }
            _ => {}
        }
    }
    // Nested items close first.
    tasks.sort_by_key(|t| t.line);
    tasks
}

/// The task of the innermost open item, if it is one.
fn open_task(items: &mut [OpenItem]) -> Option<&mut Task> {
    items.last_mut().and_then(|i| i.task.as_mut())
}

/// Shows each task marker as a labelled box: assistive technology says whether the task
/// is done.
pub(super) fn checkboxes(events: Vec<Event>) -> Vec<Event> {
    events
        .into_iter()
        .map(|event| match event {
            Event::TaskListMarker(done) => {
                let (checked, label) = if done {
                    (" checked", "Done")
                } else {
                    ("", "Not done")
                };
                Event::Html(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
                        .into(),
                )
            }
            other => other,
        })
        .collect()
}
