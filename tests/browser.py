"""Headless Chromium (Debian's chromium and chromium-driver) driven by selenium, offline.

The flags keep Chromium off the network (this machine has none but the package registries)
and let it run as root in a container. The pages a browser test opens are the kit's own files
and a real JupyterLab server started here (jupyter_lab), on a loopback port with a token.
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HAVE_BROWSER = os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)
# on CI the browser must be there: .ci/run installs it, and a missing one fails, not skips
needs_browser = pytest.mark.skipif(not HAVE_BROWSER and not os.environ.get("CI"),
                                   reason="Debian's chromium and chromium-driver are not installed")


@contextlib.contextmanager
def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix="course-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1200,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})   # for driver.get_log("browser")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"   # kept by CI as artifacts
STUDENT_PROFILE = ROOT / "student"               # the Jupyter config the course ships to students


def screenshot(driver, name: str) -> Path:
    """What the page looks like now, as build/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    url: str      # http://127.0.0.1:<port>
    token: str
    log: Path     # the server's output, for a failure message

    def address(self, path: str) -> str:
        return f"{self.url}/{path.lstrip('/')}?token={self.token}"

    def call(self, path: str, method: str = "POST", body: dict | None = None) -> dict:
        """A request to one of the server's APIs (formgrader's pages call them so), POST unless
        told, with a JSON body if given; its JSON answer."""
        data = json.dumps(body).encode() if body is not None else (b"" if method != "GET" else None)
        request = urllib.request.Request(f"{self.url}/{path.lstrip('/')}", data=data, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.loads(response.read())


@contextlib.contextmanager
def jupyter(root: Path, scratch: Path, *, app: str = "jupyterlab", config_dir: Path | None = None):
    """A real Jupyter server (`jupyterlab`, or the bare `jupyter_server` that formgrader's APIs
    need) on a loopback port with a token, serving `root` from `root`, with the server and lab
    extensions as installed (nbgrader's among them).

    Jupyter's per-user folders (config, runtime, settings, workspaces) are fresh ones under
    `scratch`, so nothing of this machine's user changes what the page shows. `config_dir`
    stands for a user's own Jupyter config folder (JUPYTER_CONFIG_DIR), as a student sets it.
    """
    scratch.mkdir(parents=True, exist_ok=True)
    home = {name: scratch / name for name in ("config", "runtime", "settings", "workspaces", "ipython")}
    for folder in home.values():
        folder.mkdir(exist_ok=True)
    # no "would you like news?" toast over the page: this machine is offline, and a person says No
    news = home["settings"] / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True, exist_ok=True)
    news.write_text('{"fetchNews": "false"}', encoding="utf-8")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config_dir or home["config"]),
           "JUPYTER_RUNTIME_DIR": str(home["runtime"]), "JUPYTERLAB_SETTINGS_DIR": str(home["settings"]),
           "JUPYTERLAB_WORKSPACES_DIR": str(home["workspaces"]), "IPYTHONDIR": str(home["ipython"]),
           "JUPYTER_PLATFORM_DIRS": "1"}
    port, token = _free_port(), secrets.token_hex(16)
    options = ["--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    if app == "jupyterlab":
        options += ["--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    log = scratch / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", app, *options], cwd=root, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", token, log)
    try:
        _wait_until_serving(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(server: Server, process: subprocess.Popen, timeout: float = 90) -> None:
    """Until the server answers its status API (or has died, or the time is up: then its log)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab ended ({process.returncode}):\n{server.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.address("api/status"), timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)   # not listening yet: the server is still starting
    raise RuntimeError(f"jupyter lab did not answer within {timeout} s:\n{server.log.read_text()[-3000:]}")


def by_css(driver, selector: str) -> list:
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, selector)


def wait_for(driver, condition, timeout: float = 60, what: str = ""):
    """WebDriverWait on what a person would see: the first truthy value of condition(driver)."""
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout).until(condition, what)


def click(driver, element, timeout: float = 30) -> None:
    """Click an element as a person does: scrolled to the middle of the window, once nothing
    else (an output still being laid out, a toast) lies over it."""
    from selenium.common.exceptions import ElementClickInterceptedException
    from selenium.webdriver.support.ui import WebDriverWait

    def clicked(d):
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        return True
    WebDriverWait(driver, timeout, ignored_exceptions=[ElementClickInterceptedException]).until(
        clicked, "the element could be clicked")


def open_lab(driver, server: Server, path: str = "") -> None:
    """JupyterLab at `path` (a notebook, or nothing) in a workspace of its own (no tab of an
    earlier page restored beside it), once the notebook shows its cells and its kernel says Idle."""
    workspace = "".join(ch if ch.isalnum() else "-" for ch in path) or "home"
    driver.get(server.address(f"lab/workspaces/{workspace}" + (f"/tree/{path}" if path else "")))
    wait_for(driver, lambda d: by_css(d, ".lm-MenuBar-item"), what="JupyterLab's menu bar")
    if path.endswith(".ipynb"):
        name = path.rsplit("/", 1)[-1]
        wait_for(driver, lambda d: [t for t in by_css(d, "#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current")
                                    if t.text.strip() == name], 60, f"the notebook's tab: {name}")
        wait_for(driver, lambda d: by_css(d, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .cm-line"), 60,
                 "the notebook's cells")
        wait_for(driver, lambda d: "| Idle" in d.find_element("id", "jp-main-statusbar").text, 120,
                 "the kernel's status bar: Idle")


def menu_bar(driver) -> list[str]:
    return [item.text for item in by_css(driver, ".lm-MenuBar-item")]


def click_menu(driver, menu: str, command: str) -> None:
    """Open a main menu by its label and click one of its items (by its command id)."""
    by_css(driver, ".lm-MenuBar-item")[menu_bar(driver).index(menu)].click()
    item = f".lm-Menu-item[data-command='{command}']"
    wait_for(driver, lambda d: by_css(d, item), what=f"{menu} menu: {command}")[0].click()


INSTRUCTOR_TOOLS = {"Formgrader", "Create Assignment", "Course List", "Assignment List"}


def close_menus(driver) -> None:
    """Close an open menu as a person does, by clicking outside it (on the Jupyter logo), until
    no menu is open."""
    def closed(d):
        if not by_css(d, ".lm-Menu"):
            return True
        d.find_element("id", "jp-MainLogo").click()
        return False
    wait_for(driver, closed, 10, "the menu closed")


def instructor_tools(driver) -> set[str]:
    """nbgrader's instructor tools a person can see in JupyterLab: the items of its Nbgrader menu
    and the sidebar tabs (Create Assignment sits in the right sidebar), as INSTRUCTOR_TOOLS names them."""
    seen = {tab.text.strip() for tab in by_css(driver, ".lm-TabBar-tab") if tab.text.strip()}
    seen |= {tab.get_attribute("title") or "" for tab in by_css(driver, ".jp-SideBar .lm-TabBar-tab")}
    if "Nbgrader" in menu_bar(driver):
        by_css(driver, ".lm-MenuBar-item")[menu_bar(driver).index("Nbgrader")].click()
        items = wait_for(driver, lambda d: [e.text for e in by_css(d, ".lm-Menu-item .lm-Menu-itemLabel")
                                            if e.text], what="the Nbgrader menu's items")
        seen |= set(items)
        close_menus(driver)
    return {name.title() for name in seen} & INSTRUCTOR_TOOLS


def console_errors(driver) -> list[str]:
    """What the page wrote to the browser console at error level since the last call."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
