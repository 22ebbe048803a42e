//! Namespaces, the wires between them, and captures of what crosses a wire.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::{output, say, sh, wait_for};

/// The namespaces of one test, deleted with everything in them when it is dropped.
pub struct Net {
    /// `hn-<pid>-<test>`: every namespace of this net starts with it.
    prefix: String,
    namespaces: Vec<String>,
}

impl Net {
    /// An empty network for the test `tag`, after clearing what a killed run left behind.
    pub fn new(tag: &str) -> Net {
        clear_leftovers();
        Net {
            prefix: format!("hn-{}-{tag}", std::process::id()),
            namespaces: Vec::new(),
        }
    }

    /// A new namespace, `tag` naming it within the test, with its loopback up; returns its name.
    ///
    /// Its processes resolve names with a server on their own loopback, where none listens
    /// (`ip netns exec` puts `/etc/netns/<name>/resolv.conf` in place of the machine's): a
    /// lookup fails at once, and not even the machine's resolver's address goes on a wire.
    pub fn namespace(&mut self, tag: &str) -> String {
        let name = format!("{}-{tag}", self.prefix);
        sh("ip", &["netns", "add", &name]);
        self.namespaces.push(name.clone());
        sh("ip", &["-n", &name, "link", "set", "lo", "up"]);
        let etc = etc_of(&name);
        std::fs::create_dir_all(&etc).expect("make the namespace's /etc/netns folder");
        std::fs::write(etc.join("resolv.conf"), "nameserver 127.0.0.1\n")
            .expect("write the namespace's resolv.conf");
        name
    }

    /// A switch: a namespace holding one bridge for each name in `bridges`, all up.
    pub fn switch(&mut self, tag: &str, bridges: &[&str]) -> String {
        let ns = self.namespace(tag);
        for bridge in bridges {
            sh("ip", &["-n", &ns, "link", "add", bridge, "type", "bridge"]);
            sh("ip", &["-n", &ns, "link", "set", bridge, "up"]);
        }
        ns
    }

    /// A wire from interface `ifname` of `host`, with address `cidr`, to a port of `bridge` in the
    /// switch `switch`; returns the port's name (`<ifname>-<host's tag>`, cut to what Linux allows).
    pub fn plug(&self, host: &str, ifname: &str, cidr: &str, switch: &str, bridge: &str) -> String {
        let tag = host.rsplit('-').next().unwrap_or(host);
        let port: String = format!("{tag}-{ifname}").chars().take(15).collect();
        self.wire(host, ifname, switch, &port);
        sh(
            "ip",
            &["-n", switch, "link", "set", &port, "master", bridge],
        );
        sh("ip", &["-n", switch, "link", "set", &port, "up"]);
        self.address(host, ifname, cidr);
        port
    }

    /// A wire straight from `a`'s interface `a_if` to `b`'s interface `b_if`, both down, without
    /// addresses.
    pub fn wire(&self, a: &str, a_if: &str, b: &str, b_if: &str) {
        sh(
            "ip",
            &[
                "-n", a, "link", "add", a_if, "type", "veth", "peer", "name", b_if, "netns", b,
            ],
        );
    }

    /// Gives `ns`'s interface `ifname` the address `cidr` and brings it up.
    pub fn address(&self, ns: &str, ifname: &str, cidr: &str) {
        sh("ip", &["-n", ns, "addr", "add", cidr, "dev", ifname]);
        sh("ip", &["-n", ns, "link", "set", ifname, "up"]);
    }

    /// `ip -n <ns> <args>`, which must succeed.
    pub fn ip(&self, ns: &str, args: &[&str]) {
        let mut all = vec!["-n", ns];
        all.extend_from_slice(args);
        sh("ip", &all);
    }

    /// Runs `program` inside `ns`; it must succeed.
    pub fn exec(&self, ns: &str, program: &str, args: &[&str]) -> String {
        let mut all = vec!["netns", "exec", ns, program];
        all.extend_from_slice(args);
        sh("ip", &all)
    }

    /// Makes `ns` a router: it forwards between its interfaces.
    pub fn forward(&self, ns: &str) {
        self.exec(ns, "sysctl", &["-qw", "net.ipv4.ip_forward=1"]);
    }

    /// Makes `ns` a home router: it forwards, and hides every host behind it by masquerading
    /// what leaves through `wan` as its own address (nftables).
    pub fn masquerade(&self, ns: &str, wan: &str) {
        self.forward(ns);
        self.exec(ns, "nft", &["add", "table", "ip", "nat"]);
        self.exec(
            ns,
            "nft",
            &[
                "add",
                "chain",
                "ip",
                "nat",
                "postrouting",
                "{",
                "type",
                "nat",
                "hook",
                "postrouting",
                "priority",
                "srcnat",
                ";",
                "}",
            ],
        );
        self.exec(
            ns,
            "nft",
            &[
                "add",
                "rule",
                "ip",
                "nat",
                "postrouting",
                "oifname",
                wan,
                "masquerade",
            ],
        );
    }

    /// Starts a packet capture (tcpdump) on `ns`'s interface `ifname` (`any` for all).
    pub fn capture(&self, ns: &str, ifname: &str) -> Capture {
        Capture::start(ns, ifname)
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        for ns in self.namespaces.iter().rev() {
            remove(ns);
        }
    }
}

/// Ends every process in `ns` and deletes it (its interfaces go with it).
fn remove(ns: &str) {
    let pids = output("ip", &["netns", "pids", ns]);
    for pid in String::from_utf8_lossy(&pids.stdout).split_whitespace() {
        let _ = output("kill", &["-KILL", pid]);
    }
    let gone = wait_for(Duration::from_secs(5), || {
        String::from_utf8_lossy(&output("ip", &["netns", "pids", ns]).stdout)
            .trim()
            .is_empty()
    });
    if !gone {
        say(&format!("namespace {ns} still has processes"));
    }
    let _ = std::fs::remove_dir_all(etc_of(ns));
    let deleted = output("ip", &["netns", "del", ns]);
    if !deleted.status.success() {
        say(&format!(
            "could not delete namespace {ns}: {}",
            String::from_utf8_lossy(&deleted.stderr).trim()
        ));
    }
}

/// The folder whose files `ip netns exec` puts in place of the machine's `/etc` files.
fn etc_of(ns: &str) -> PathBuf {
    PathBuf::from("/etc/netns").join(ns)
}

/// Deletes the namespaces of runs whose process is gone (a run killed before it could clean up).
fn clear_leftovers() {
    let list = output("ip", &["netns", "list"]);
    for line in String::from_utf8_lossy(&list.stdout).lines() {
        let Some(name) = line.split_whitespace().next() else {
            continue;
        };
        let Some(pid) = name
            .strip_prefix("hn-")
            .and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        if !PathBuf::from(format!("/proc/{pid}")).exists() {
            remove(name);
        }
    }
}

/// A running tcpdump, writing every packet it sees on one interface to a file.
pub struct Capture {
    child: Option<Child>,
    dir: tempfile::TempDir,
}

/// The packets a capture saw, once it stopped.
pub struct Captured {
    /// The capture file (pcap).
    pub file: PathBuf,
    /// Its bytes: every packet whole, as it crossed the wire.
    pub bytes: Vec<u8>,
    _dir: tempfile::TempDir,
}

impl Capture {
    fn start(ns: &str, ifname: &str) -> Capture {
        let dir = tempfile::tempdir().expect("a directory for the capture");
        let file = dir.path().join("capture.pcap");
        let mut child = Command::new("ip")
            .args([
                "netns", "exec", ns, "tcpdump", "-i", ifname, "-n", "-U", "-s", "0",
            ])
            // As root, tcpdump would hand the file to its own user, who may not write here.
            .args(["-Z", "root", "-w"])
            .arg(&file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tcpdump");
        // It says "listening on ..." once it captures.
        let mut stderr = BufReader::new(child.stderr.take().expect("tcpdump's stderr"));
        let mut line = String::new();
        while stderr.read_line(&mut line).expect("tcpdump's stderr") > 0 {
            if line.contains("listening on") {
                break;
            }
        }
        assert!(
            line.contains("listening on"),
            "tcpdump did not start: {line}"
        );
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Capture {
            child: Some(child),
            dir,
        }
    }

    /// Stops the capture (SIGINT: tcpdump writes what it holds and ends).
    pub fn stop(mut self) -> Captured {
        let mut child = self.child.take().expect("a running capture");
        sh("kill", &["-INT", &child.id().to_string()]);
        let _ = child.wait();
        let file = self.dir.path().join("capture.pcap");
        let bytes = std::fs::read(&file).expect("the capture file");
        let dir = std::mem::replace(
            &mut self.dir,
            tempfile::tempdir().expect("a temporary directory"),
        );
        Captured {
            file,
            bytes,
            _dir: dir,
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Captured {
    /// Whether `text` appears anywhere in the captured packets.
    pub fn contains(&self, text: &[u8]) -> bool {
        self.bytes.windows(text.len()).any(|w| w == text)
    }

    /// The packets that match a tcpdump filter (`udp and host 203.0.113.2`), one line each.
    pub fn packets(&self, filter: &str) -> Vec<String> {
        let file = self.file.to_str().expect("a UTF-8 path");
        let out = output("tcpdump", &["-r", file, "-n", "-q", filter]);
        assert!(
            out.status.success(),
            "tcpdump -r failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The bytes of transport payload (UDP or TCP) in the packets that match `filter`, as
    /// tcpdump counts them.
    pub fn payload_bytes(&self, filter: &str) -> u64 {
        self.packets(filter)
            .iter()
            // `-q` ends each line with the length: `UDP, length 1200`, `tcp 1448`.
            .filter_map(|line| line.split_whitespace().last()?.parse::<u64>().ok())
            .sum()
    }
}
