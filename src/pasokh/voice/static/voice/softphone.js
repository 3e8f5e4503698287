// The desk's browser softphone (SIP.js over WebSocket to the voice service, WebRTC media
// through rtpengine). It fetches the agent's own short-lived SIP login, registers, rings with
// the caller's name and number, answers, hangs up, mutes, sends keypad digits (RFC 4733) and
// places calls. Strings come from the page (#softphone-strings), translated by Django.

import { toAsciiDigits } from "../pasokh/js/digits.js";

const panel = document.querySelector("[data-softphone]");
const strings = JSON.parse(document.getElementById("softphone-strings")?.textContent || "{}");
const RENEW_BEFORE_MS = 10 * 60 * 1000; // fetch a fresh token this long before it expires

const part = (name) => panel.querySelector(`[data-softphone-${name}]`);
const statusLine = part("status");
const caller = part("caller");
const callerName = part("name");
const callerNumber = part("number");
const timer = part("timer");
const answerButton = part("answer");
const hangupButton = part("hangup");
const muteButton = part("mute");
const dialForm = part("dial");
const keypad = part("keypad");
const keypadToggle = part("toggle");
const digits = new Intl.NumberFormat(document.documentElement.lang || "en", {
  minimumIntegerDigits: 2,
  useGrouping: false,
});
const audio = part("audio");

let SIP = null;
let agent = null; // SIP.js UserAgent
let registerer = null;
let login = null;
let session = null; // the one call: an Invitation (incoming) or an Inviter (outgoing)
let muted = false;
let startedAt = 0;
let ticking = 0;
let renewal = 0;

function show(state, text) {
  panel.dataset.state = state;
  statusLine.textContent = text;
  statusLine.title = text; // the line may be cut with an ellipsis in the narrow panel
}

function csrfToken() {
  return panel.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
}

async function fetchLogin() {
  const response = await fetch(panel.dataset.loginUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken() },
  });
  if (!response.ok) throw new Error(`softphone login: ${response.status}`);
  return response.json();
}

async function connect() {
  show("connecting", strings.connecting);
  SIP = SIP || (await import(panel.dataset.library));
  login = await fetchLogin();
  agent = new SIP.UserAgent({
    uri: SIP.UserAgent.makeURI(login.uri),
    displayName: login.display_name,
    authorizationUsername: login.authorization_user,
    authorizationPassword: login.password,
    transportOptions: { server: login.websocket_url },
    sessionDescriptionHandlerFactoryOptions: {
      peerConnectionConfiguration: { iceServers: [] },
    },
    logBuiltinEnabled: false,
    delegate: { onInvite: incoming, onDisconnect: () => show("off", strings.unregistered) },
  });
  await agent.start();
  registerer = new SIP.Registerer(agent, { expires: 600 });
  registerer.stateChange.addListener((state) => {
    if (state === SIP.RegistererState.Registered && !session) show("ready", strings.registered);
    if (state === SIP.RegistererState.Unregistered && !session) show("off", strings.unregistered);
  });
  await registerer.register({
    requestDelegate: { onReject: () => show("failed", strings.failed) },
  });
  const wait = login.expires_at * 1000 - Date.now() - RENEW_BEFORE_MS;
  clearTimeout(renewal);
  renewal = setTimeout(renew, Math.max(wait, 60 * 1000));
}

async function renew() {
  if (session) {
    renewal = setTimeout(renew, 60 * 1000); // never in the middle of a call
    return;
  }
  try {
    await registerer?.unregister();
    await agent?.stop();
  } finally {
    connect().catch(() => show("failed", strings.failed));
  }
}

// ── one call ─────────────────────────────────────────────────────────────────────────────

function incoming(invitation) {
  if (session) {
    invitation.reject({ statusCode: 486 });
    return;
  }
  const identity = invitation.remoteIdentity;
  const number = identity.uri.user || "";
  track(invitation, identity.displayName || number, number);
  show("ringing", strings.ringing);
  answerButton.hidden = false;
  hangupButton.hidden = false;
}

function track(current, name, number) {
  session = current;
  callerName.textContent = name === number ? "" : name;
  callerName.hidden = name === number;
  callerNumber.textContent = number;
  timer.textContent = "";
  caller.hidden = false;
  dialForm.hidden = true;
  session.stateChange.addListener((state) => {
    if (state === SIP.SessionState.Established) established();
    if (state === SIP.SessionState.Terminated) ended(current);
  });
}

function established() {
  const handler = session.sessionDescriptionHandler;
  audio.srcObject = handler.remoteMediaStream;
  audio.play().catch(() => {});
  show("in-call", strings.inCall);
  answerButton.hidden = true;
  muteButton.hidden = false;
  startedAt = Date.now();
  ticking = setInterval(tick, 1000);
  tick();
}

function tick() {
  const seconds = Math.floor((Date.now() - startedAt) / 1000);
  timer.textContent = `${digits.format(Math.floor(seconds / 60))}:${digits.format(seconds % 60)}`;
}

function ended(finished) {
  if (session !== finished) return;
  session = null;
  clearInterval(ticking);
  setMuted(false);
  audio.srcObject = null;
  answerButton.hidden = true;
  hangupButton.hidden = true;
  muteButton.hidden = true;
  dialForm.hidden = false;
  show("ended", strings.ended);
  setTimeout(() => {
    if (!session && registerer?.state === SIP.RegistererState.Registered) {
      caller.hidden = true;
      show("ready", strings.registered);
    }
  }, 3000);
}

const microphone = { constraints: { audio: true, video: false } };

// The browser answers rtpengine's offer as the DTLS *server* (a=setup:passive instead of
// Chrome's default active). Chrome starts ICE and DTLS as soon as it sets its answer, before
// the 200 OK reaches the service; rtpengine, which has offered actpass, is then already the
// DTLS client of that port and fails for good on a ClientHello of the browser ("DTLS error:
// unexpected message"). As the server, the browser simply waits for rtpengine's ClientHello.
// Only our own answers are changed (an offer says actpass and stays so).
function dtlsServer(description) {
  if (description.type !== "answer") return Promise.resolve(description);
  const sdp = description.sdp.replace(/^a=setup:active\r?$/gm, (line) =>
    line.replace("active", "passive"),
  );
  return Promise.resolve({ type: description.type, sdp });
}

async function answer() {
  if (!(session instanceof SIP.Invitation)) return;
  try {
    await session.accept({
      sessionDescriptionHandlerOptions: microphone,
      sessionDescriptionHandlerModifiers: [dtlsServer],
    });
  } catch {
    show("failed", strings.noMicrophone);
  }
}

function hangUp() {
  if (!session) return;
  const state = session.state;
  if (state === SIP.SessionState.Established) session.bye();
  else if (session instanceof SIP.Invitation) session.reject();
  else if (state === SIP.SessionState.Establishing || state === SIP.SessionState.Initial)
    session.cancel();
}

function setMuted(value) {
  muted = value;
  muteButton.setAttribute("aria-pressed", String(muted));
  if (session?.state === SIP.SessionState.Established) {
    show("in-call", muted ? `${strings.inCall} · ${strings.muted}` : strings.inCall);
  }
  const connection = session?.sessionDescriptionHandler?.peerConnection;
  for (const sender of connection?.getSenders() || []) {
    if (sender.track) sender.track.enabled = !muted;
  }
}

function sendDigit(key) {
  const handler = session?.sessionDescriptionHandler;
  if (session?.state === SIP.SessionState.Established && handler) handler.sendDtmf(key);
}

function call(event) {
  event.preventDefault();
  const target = toAsciiDigits(dialForm.elements.target.value).replace(/[^\d+*#]/g, "");
  if (!target || session || !agent) return;
  const realm = login.uri.split("@")[1];
  const inviter = new SIP.Inviter(agent, SIP.UserAgent.makeURI(`sip:${target}@${realm}`), {
    sessionDescriptionHandlerOptions: microphone,
  });
  track(inviter, target, target);
  show("calling", strings.calling);
  hangupButton.hidden = false;
  inviter.invite().catch(() => ended(inviter));
}

// What the call's media did (for the agent's support and the browser test): bytes and packets
// received and sent on the audio stream.
panel.softphoneStats = async () => {
  const connection = session?.sessionDescriptionHandler?.peerConnection;
  const totals = { bytesReceived: 0, packetsReceived: 0, bytesSent: 0, packetsSent: 0 };
  if (!connection) return totals;
  (await connection.getStats()).forEach((report) => {
    if (report.type === "inbound-rtp" && report.kind === "audio") {
      totals.bytesReceived += report.bytesReceived || 0;
      totals.packetsReceived += report.packetsReceived || 0;
    }
    if (report.type === "outbound-rtp" && report.kind === "audio") {
      totals.bytesSent += report.bytesSent || 0;
      totals.packetsSent += report.packetsSent || 0;
    }
  });
  return totals;
};

keypadToggle.addEventListener("click", () => {
  keypad.hidden = !keypad.hidden;
  keypadToggle.setAttribute("aria-expanded", String(!keypad.hidden));
});
answerButton.addEventListener("click", answer);
hangupButton.addEventListener("click", hangUp);
muteButton.addEventListener("click", () => setMuted(!muted));
keypad.addEventListener("click", (event) => {
  const key = event.target.closest("[data-key]")?.dataset.key;
  if (!key) return;
  if (session) sendDigit(key);
  else dialForm.elements.target.value += key;
});
dialForm.addEventListener("submit", call);
window.addEventListener("beforeunload", () => {
  registerer?.unregister().catch(() => {});
});

connect().catch(() => show("failed", strings.failed));
