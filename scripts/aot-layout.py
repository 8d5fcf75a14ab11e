#!/usr/bin/env python3
"""Writes the method order of a Native AOT executable (gateway or watchdog): the methods it runs while it starts,
idles and serves, in the order ILC lays them out (IlcOrderFile: `--method-layout:Explicit --order:...`).

Why: the kernel maps an executable's code 64 KB around every page touched (fault-around), so a few hundred
scattered start-up methods keep most of the code segment resident. Packed together they keep a fraction.

How (root, valgrind; out/watchdog and out/test-upstream built first: make publish):
  1. callgrind runs an unstripped build through the workload and names every function executed;
  2. a build ordered by those names runs the workload again from a loop-mounted file system with readahead off, so the
     page cache holds exactly the pages touched; methods on touched code pages outside the packed front (what ran
     natively but not under valgrind) join the list, until a pass adds fewer than 100.
Usage: sudo scripts/aot-layout.py gateway|watchdog   (5-10 minutes; bench gateway-aot and watchdog-http show the effect)
"""
import base64, collections, ctypes, ctypes.util, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UPSTREAM = os.path.join(ROOT, "out/test-upstream")
PORT, SECOND_PORT = 18479, 18480


def request(url, body=None, admin=False):
    message = urllib.request.Request(url, data=body, method="POST" if body else "GET")
    if admin:
        message.add_header("Authorization", "Basic " + base64.b64encode(b"admin:layout").decode())
        message.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(message, timeout=30) as response:
        return response.read()


def eventually(url, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return request(url)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def gateway_run(url, state):
    """The bench's gateway-aot sequence: start, deploy one function, quiet 12 s (idle); then serve, scrape, list, quiet."""
    deploy = {"service": "bench", "image": "local", "envProcess": UPSTREAM, "envVars": {"mode": "http"},
              "labels": {"com.openfaas.scale.min": "1", "com.openfaas.scale.max": "1"}}
    environment = {"FAAS_STATE_DIR": state, "FAAS_ADMIN_PASSWORD": "layout", "Logging__LogLevel__Default": "Warning"}

    def idle():
        eventually(url + "/healthz", 120)
        request(url + "/system/functions", json.dumps(deploy).encode(), admin=True)
        eventually(url + "/function/bench/", 120)
        time.sleep(12)

    def serve():
        for _ in range(300):
            request(url + "/function/bench/", b"payload")
        request(url + "/system/functions", admin=True)
        request(url + "/metrics")
        time.sleep(12)

    return ["--urls", url], environment, idle, serve


def watchdog_run(mode, fprocess, upstream):
    """The watchdog in one mode, as bench watchdog-http and cold starts run it: start, quiet 12 s; serve, scrape, quiet."""
    def run(url, state):
        port = url.rsplit(":", 1)[1]
        environment = {"mode": mode, "fprocess": fprocess, "port": port, "metrics_port": str(SECOND_PORT),
                       "listen_address": "127.0.0.1", "healthcheck_interval": "0", "TMPDIR": state}
        if upstream:
            environment["upstream_url"] = upstream

        def idle():
            eventually(url + "/_/health", 60)
            time.sleep(12)

        def serve():
            for _ in range(300):
                request(url + "/", b"payload")
            request(f"http://127.0.0.1:{SECOND_PORT}/metrics")
            time.sleep(12)

        return [], environment, idle, serve
    return run


TARGETS = {
    "gateway": {"project": "gateway/Faas.Gateway", "executable": "gateway", "publish": ["-p:FaasLocalOnly=true"], "runs": [gateway_run]},
    "watchdog": {"project": "watchdog/Faas.Watchdog", "executable": "watchdog", "publish": [],
                 "runs": [watchdog_run("http", f"{UPSTREAM} 18481", "http://127.0.0.1:18481"), watchdog_run("streaming", "cat", None)]},
}


def publish(target, directory, order):
    """An unstripped Native AOT build in directory, laid out by order (a file, or None for ILC's default)."""
    subprocess.run(["dotnet", "publish", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", *target["publish"],
                    "-p:DebugType=none", "-p:StripSymbols=false", f"-p:FaasAotMethodOrder={order or ''}", "-nologo", "-v", "quiet",
                    target["project"], "-o", directory], cwd=ROOT, check=True)
    if target["executable"] != "watchdog":
        shutil.copy(os.path.join(ROOT, "out/watchdog"), directory)  # the gateway starts the watchdog beside itself
    return os.path.join(directory, target["executable"])


def workloads(target, command, between_phases):
    """Each of the target's runs: its idle phase, then between_phases(pid, environment), then its serving phase."""
    directory = os.path.dirname(command[-1])
    for run in target["runs"]:
        state = tempfile.mkdtemp(prefix="state-", dir=directory)
        arguments, environment, idle, serve = run(f"http://127.0.0.1:{PORT}", state)
        with open(os.path.join(directory, "run.log"), "w") as log:
            process = subprocess.Popen(command + arguments, env=dict(os.environ, **environment), stdout=log, stderr=subprocess.STDOUT)
            try:
                idle()
                between_phases(process.pid, environment)
                serve()
            except OSError:
                log.flush()
                print(open(log.name).read(), file=sys.stderr)
                raise
            finally:
                process.terminate()
                process.wait()
                shutil.rmtree(state, ignore_errors=True)


def symbols(binary):
    """(address, size, name) of every sized symbol."""
    found = []
    for line in subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4:
            found.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
    return found


def callgrind_functions(path):
    """Every function named in a callgrind profile (fn= and cfn= lines, with callgrind's name compression)."""
    names = []
    for line in open(path, errors="replace"):
        match = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
        if match:
            names.append(match.group(1))
    return names


def executed_under_valgrind(target, binary, work):
    """Functions executed, start-up and idle first, then serving, with every alias of each (callgrind names one)."""
    dumps = []

    def valgrind_command():
        dump = os.path.join(work, f"callgrind-{len(dumps)}.out")
        dumps.append(dump)
        return ["valgrind", "--tool=callgrind", f"--callgrind-out-file={dump}", binary]

    for run in target["runs"]:
        workloads({"runs": [run]}, valgrind_command(),
                  # callgrind_control finds the process by the pipes valgrind made in the process's TMPDIR.
                  lambda pid, environment: subprocess.run(["callgrind_control", "-d", str(pid)], env=dict(os.environ, **environment),
                                                          check=True, stdout=subprocess.DEVNULL))
    by_address = collections.defaultdict(list)
    address_of = {}
    for address, _, name in symbols(binary):
        by_address[address].append(name)
        address_of.setdefault(name, address)
    ordered = {}
    for phase in [dump + ".1" for dump in dumps] + dumps:
        for name in callgrind_functions(phase):
            for alias in by_address.get(address_of.get(name), []):
                ordered.setdefault(alias, None)
    return list(ordered)


def touched_code(target, binary, work):
    """Names of the methods on code pages the build touches, run where readahead cannot hide what was used."""
    image, mount = os.path.join(work, "noreadahead.img"), os.path.join(work, "noreadahead")
    os.makedirs(mount, exist_ok=True)
    subprocess.run(["truncate", "-s", "200M", image], check=True)
    subprocess.run(["mkfs.ext4", "-q", "-F", image], check=True)
    subprocess.run(["mount", "-o", "loop", image, mount], check=True)
    try:
        device = subprocess.run(["findmnt", "-n", "-o", "SOURCE", mount], capture_output=True, text=True, check=True).stdout.strip()
        with open(f"/sys/block/{os.path.basename(device)}/queue/read_ahead_kb", "w") as setting:
            setting.write("0")
        for name in os.listdir(os.path.dirname(binary)):
            if name in (os.path.basename(binary), "watchdog"):
                shutil.copy(os.path.join(os.path.dirname(binary), name), mount)
        copy = os.path.join(mount, os.path.basename(binary))
        os.sync()
        descriptor = os.open(copy, os.O_RDONLY)
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(descriptor)
        workloads(target, [copy], lambda pid, environment: None)
        pages = resident_pages(copy)
    finally:
        subprocess.run(["umount", mount], check=True)
    start, end = code_section(binary)
    return [name for address, size, name in symbols(binary)
            if start <= address < end and any(page in pages for page in range(address // 4096, (address + max(size, 1) - 1) // 4096 + 1))]


def resident_pages(path):
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    size = os.path.getsize(path)
    descriptor = os.open(path, os.O_RDONLY)
    address = libc.mmap(None, size, 1, 1, descriptor, 0)  # PROT_READ, MAP_SHARED
    pages = (size + 4095) // 4096
    vector = ctypes.create_string_buffer(pages)
    if libc.mincore(address, size, vector) != 0:
        raise OSError(ctypes.get_errno(), "mincore")
    libc.munmap(address, size)
    os.close(descriptor)
    return {page for page in range(pages) if vector.raw[page] & 1}


def code_section(binary):
    """File offsets of __managedcode (equal to its addresses: the section sits where its segment maps it)."""
    for line in subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        match = re.search(r"__managedcode\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if match:
            if int(match.group(1), 16) != int(match.group(2), 16):
                raise SystemExit("__managedcode: address and file offset differ")
            return int(match.group(2), 16), int(match.group(2), 16) + int(match.group(3), 16)
    raise SystemExit("no __managedcode section")


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in TARGETS:
        raise SystemExit("usage: sudo scripts/aot-layout.py gateway|watchdog")
    if os.geteuid() != 0:
        raise SystemExit("run as root: the second pass mounts a loop file system with readahead off")
    target = TARGETS[sys.argv[1]]
    order_file = os.path.join(ROOT, target["project"], "Aot/method-order.txt")
    subprocess.run([os.path.join(ROOT, "scripts/ensure-packages.sh"), "valgrind:valgrind", "nm:binutils"], check=True)
    # Not under /tmp: replicas run sandboxed with a private /tmp, where they would not find the watchdog.
    os.makedirs(os.path.join(ROOT, "out"), exist_ok=True)
    work = tempfile.mkdtemp(prefix=".aot-layout-", dir=os.path.join(ROOT, "out"))
    try:
        default = publish(target, os.path.join(work, "default"), None)
        start, end = code_section(default)
        methods = {name for address, _, name in symbols(default) if start <= address < end}
        final = dict.fromkeys(name for name in executed_under_valgrind(target, default, work) if name in methods)
        executed = len(final)
        # Which rarely-run methods a native run touches varies with timing: iterate until a pass finds few new ones.
        for attempt in range(4):
            listed = os.path.join(work, f"order-{attempt}.txt")
            with open(listed, "w") as output:
                output.write("\n".join(final) + "\n")
            ordered = publish(target, os.path.join(work, f"ordered-{attempt}"), listed)
            before = len(final)
            for _ in range(2):
                final.update(dict.fromkeys(touched_code(target, ordered, work)))
            print(f"pass {attempt + 1}: {len(final) - before} methods on pages touched outside the packed ones", file=sys.stderr)
            if len(final) - before < 100:
                break
        os.makedirs(os.path.dirname(order_file), exist_ok=True)
        with open(order_file, "w") as output:
            output.write("\n".join(final) + "\n")
        print(f"{order_file}: {len(final)} methods ({executed} executed under valgrind)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
