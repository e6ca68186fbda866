//! The confirmation gate and the terminal progress as a person meets them: `kubectl-exastro_upgrade run` in a
//! real terminal (tmux), answered with `n` and then with `y`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::Cluster;

struct Terminal {
    socket: PathBuf,
}

impl Terminal {
    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn start(cluster: &Cluster) -> Terminal {
        let terminal = Terminal {
            socket: cluster.path().join("tmux.sock"),
        };
        let plugin_dir = Path::new(common::EXASTRO).parent().unwrap();
        let shell = format!(
            // The real kubectl behind the recorder, talking to the cluster's API server, as in every suite.
            "env -i HOME={} PATH={}:{}:/usr/bin:/bin FAKE_CLUSTER_DIR={} KUBECONFIG={} FAKE_REAL_KUBECTL={} TERM=xterm-256color LANG=C.UTF-8 PS1=ready: bash --noprofile --norc",
            cluster.home().display(),
            cluster.bin_dir().display(),
            plugin_dir.display(),
            cluster.path().display(),
            cluster.kubeconfig().display(),
            common::real_kubectl().display()
        );
        let dir = cluster.path().to_str().unwrap().to_string();
        terminal.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "160",
            "-y",
            "50",
            "-c",
            &dir,
            &shell,
        ]);
        terminal
    }

    fn type_line(&self, line: &str) {
        self.tmux(&["send-keys", "-t", "0", "-l", line]);
        self.tmux(&["send-keys", "-t", "0", "Enter"]);
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "0", "-S", "-200"])
    }

    fn wait_for(&self, text: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "never saw {text:?} on the terminal:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

#[test]
fn the_question_is_asked_on_a_terminal_and_n_changes_nothing_y_proceeds() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let cluster = Cluster::exastro(&[]);
    let before = cluster.replicas("exastro");
    let terminal = Terminal::start(&cluster);
    terminal.wait_for("ready:", Duration::from_secs(5));

    terminal.type_line("kubectl-exastro_upgrade run -n exastro; echo EXIT=$?");
    let screen = terminal.wait_for("Proceed with the upgrade? [y/N]", Duration::from_secs(30));
    assert!(
        screen.contains("will stop 6 object(s) and put back these counts afterwards"),
        "{screen}"
    );
    // On a terminal the finished steps are marked, not timestamped.
    assert!(screen.contains("✓ [3/8] Recording replicas"), "{screen}");
    terminal.type_line("n");
    let screen = terminal.wait_for("EXIT=2", Duration::from_secs(10));
    // Declining is said once, plainly: not as a failed step, and "nothing changed" not twice.
    assert!(
        screen.contains("Cancelled at the confirmation.\nNothing in the cluster was changed."),
        "{screen}"
    );
    assert!(!screen.contains("failed"), "{screen}");
    assert_eq!(
        screen.to_lowercase().matches("was changed").count(),
        1,
        "{screen}"
    );
    cluster.assert_nothing_changed();

    terminal.type_line("clear; kubectl-exastro_upgrade run -n exastro; echo EXIT=$?");
    terminal.wait_for("Proceed with the upgrade? [y/N]", Duration::from_secs(30));
    terminal.type_line("y");
    let screen = terminal.wait_for("EXIT=", Duration::from_secs(60));
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains("✓ [8/8] Verifying"), "{screen}");
    assert!(
        screen.contains("Upgraded exastro in namespace exastro"),
        "{screen}"
    );
    assert_eq!(cluster.replicas("exastro"), before);
}
