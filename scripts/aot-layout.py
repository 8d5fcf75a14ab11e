#!/usr/bin/env python3
"""Writes gateway/Faas.Gateway/Aot/method-order.txt: the methods the Native AOT gateway runs while it starts, deploys
one function, idles and serves, in the order ILC should lay them out (`--method-layout:Explicit --order:...`).

Why: the kernel maps an executable's code 64 KB around every page touched (fault-around), so a few hundred
scattered start-up methods keep most of a 12 MB code segment resident. Packed together they keep about 2 MB.

How (root, valgrind; make publish-watchdog first):
  1. callgrind runs an unstripped build through the workload and names every function executed;
  2. a build ordered by those names runs the workload again from a loop-mounted file system with readahead off, so the
     page cache holds exactly the pages touched; methods on touched code pages outside the packed region (what ran
     natively but not under valgrind) are added too.
Usage: sudo scripts/aot-layout.py   (about 10 minutes; bench scenario gateway-aot shows the effect)
"""
import collections, ctypes, ctypes.util, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.request, base64

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORDER = os.path.join(ROOT, "gateway/Faas.Gateway/Aot/method-order.txt")
PORT = 18479
URL = f"http://127.0.0.1:{PORT}"
DEPLOY = {"service": "bench", "image": "local", "envProcess": os.path.join(ROOT, "out/test-upstream"), "envVars": {"mode": "http"},
          "labels": {"com.openfaas.scale.min": "1", "com.openfaas.scale.max": "1"}}


def publish(directory, order):
    """An unstripped Native AOT gateway in directory, laid out by order (a file, or None for ILC's default)."""
    args = ["dotnet", "publish", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-p:FaasLocalOnly=true",
            "-p:DebugType=none", "-p:StripSymbols=false", "-nologo", "-v", "quiet", "gateway/Faas.Gateway", "-o", directory]
    args.append(f"-p:FaasAotMethodOrder={order}" if order else "-p:FaasAotMethodOrder=")
    subprocess.run(args, cwd=ROOT, check=True)
    shutil.copy(os.path.join(ROOT, "out/watchdog"), directory)
    return os.path.join(directory, "gateway")


def request(path, body=None, admin=False):
    message = urllib.request.Request(URL + path, data=body, method="POST" if body else "GET")
    if admin:
        message.add_header("Authorization", "Basic " + base64.b64encode(b"admin:layout").decode())
        message.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(message, timeout=30) as response:
        return response.read()


def eventually(path, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return request(path)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def workload(command, between_phases):
    """The bench's gateway-aot sequence: start, deploy one function, quiet 12 s (idle); then serve, scrape, list, quiet."""
    directory = os.path.dirname(command[-1])
    state = tempfile.mkdtemp(prefix="state-", dir=directory)
    environment = dict(os.environ, FAAS_STATE_DIR=state, FAAS_ADMIN_PASSWORD="layout", Logging__LogLevel__Default="Warning")
    with open(os.path.join(directory, "gateway.log"), "w") as log:
        process = subprocess.Popen(command + ["--urls", URL], env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            eventually("/healthz", 120)
            request("/system/functions", json.dumps(DEPLOY).encode(), admin=True)
            eventually("/function/bench/", 120)
            time.sleep(12)
            between_phases(process.pid)
            for _ in range(300):
                request("/function/bench/", b"payload")
            request("/system/functions", admin=True)
            request("/metrics")
            time.sleep(12)
        except OSError:
            log.flush()
            print(open(log.name).read(), file=sys.stderr)
            raise
        finally:
            process.terminate()
            process.wait()
            shutil.rmtree(state, ignore_errors=True)


def symbols(binary):
    """(address, size, name) of every sized symbol, and every alias of each address."""
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


def executed_under_valgrind(binary, work):
    """Functions executed, phase by phase (start-up and idle first, then serving), aliases included."""
    dumps = os.path.join(work, "callgrind.out")
    workload(["valgrind", "--tool=callgrind", f"--callgrind-out-file={dumps}", binary],
             lambda pid: subprocess.run(["callgrind_control", "-d", str(pid)], check=True, stdout=subprocess.DEVNULL))
    by_address = collections.defaultdict(list)
    address_of = {}
    for address, _, name in symbols(binary):
        by_address[address].append(name)
        address_of.setdefault(name, address)
    ordered = {}
    for dump in (dumps + ".1", dumps):
        for name in callgrind_functions(dump):
            for alias in by_address.get(address_of.get(name), []):
                ordered.setdefault(alias, None)
    return list(ordered)


def touched_code(binary, work):
    """Names of the methods on code pages the ordered build touches, run where readahead cannot hide what was used."""
    image, mount = os.path.join(work, "noreadahead.img"), os.path.join(work, "noreadahead")
    os.makedirs(mount, exist_ok=True)
    subprocess.run(["truncate", "-s", "200M", image], check=True)
    subprocess.run(["mkfs.ext4", "-q", image], check=True)
    subprocess.run(["mount", "-o", "loop", image, mount], check=True)
    try:
        device = subprocess.run(["findmnt", "-n", "-o", "SOURCE", mount], capture_output=True, text=True, check=True).stdout.strip()
        with open(f"/sys/block/{os.path.basename(device)}/queue/read_ahead_kb", "w") as setting:
            setting.write("0")
        copy = os.path.join(mount, "gateway")
        shutil.copy(binary, copy)
        shutil.copy(os.path.join(os.path.dirname(binary), "watchdog"), mount)
        os.sync()
        descriptor = os.open(copy, os.O_RDONLY)
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(descriptor)
        workload([copy], lambda pid: None)
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


def compiled_methods(binary):
    """Names ILC can place: the managed methods of the build (others in a list are ignored by ILC anyway)."""
    start, end = code_section(binary)
    return {name for address, _, name in symbols(binary) if start <= address < end}


def main():
    if os.geteuid() != 0:
        raise SystemExit("run as root: the second pass mounts a loop file system with readahead off")
    subprocess.run([os.path.join(ROOT, "scripts/ensure-packages.sh"), "valgrind:valgrind", "nm:binutils"], check=True)
    # Not under /tmp: replicas run sandboxed with a private /tmp, where they would not find the watchdog.
    os.makedirs(os.path.join(ROOT, "out"), exist_ok=True)
    work = tempfile.mkdtemp(prefix=".aot-layout-", dir=os.path.join(ROOT, "out"))
    try:
        default = publish(os.path.join(work, "default"), None)
        executed = executed_under_valgrind(default, work)
        methods = compiled_methods(default)
        first = [name for name in executed if name in methods]
        # Which rarely-run methods a native run touches varies with timing: iterate until a run finds few new ones.
        final = dict.fromkeys(first)
        for attempt in range(4):
            listed = os.path.join(work, f"order-{attempt}.txt")
            with open(listed, "w") as output:
                output.write("\n".join(final) + "\n")
            ordered = publish(os.path.join(work, f"ordered-{attempt}"), listed)
            before = len(final)
            for _ in range(2):
                final.update(dict.fromkeys(touched_code(ordered, work)))
            print(f"pass {attempt + 1}: {len(final) - before} methods on pages touched outside the packed ones", file=sys.stderr)
            if len(final) - before < 100:
                break
        os.makedirs(os.path.dirname(ORDER), exist_ok=True)
        with open(ORDER, "w") as output:
            output.write("\n".join(final) + "\n")
        print(f"{ORDER}: {len(final)} methods ({len(first)} executed under valgrind)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
