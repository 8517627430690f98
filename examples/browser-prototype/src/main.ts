import { LockServiceApi, type HeartbeatAnswer } from "./lock-service.ts";
import { BASE_URL, mock, startMocks } from "./mocks.ts";

/**
 * A lock-screen prototype: one financed phone, the lender's and support's buttons, and the simulated clock.
 * The phone heartbeats when its button is pressed (and, on a real phone, on its schedule); every answer's
 * signature is checked before the screen follows its command.
 */
const IMEI = "353958031213269";
const ACCOUNT = "acct-prototype";
const api = new LockServiceApi(BASE_URL, { lender: mock.world.keys.lenders["lender-a"] ?? "", support: mock.world.keys.support });

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
};

type PhoneState = "active" | "reminding" | "locked";
const phone = { state: "active" as PhoneState, seq: 0, device: undefined as { deviceId: string; deviceToken: string; deviceSecret: string } | undefined };
/** Every heartbeat answer and whether its signature verified: the browser test reads this. */
const heartbeats: { body: HeartbeatAnswer; verified: boolean }[] = [];
(window as unknown as { prototype: unknown }).prototype = { heartbeats, secret: () => phone.device?.deviceSecret };

function render(message?: string, contact?: { phone?: string; email?: string }): void {
  $("phone").dataset.state = phone.state;
  $("phone-title").textContent = phone.state === "locked" ? "This phone is locked" : phone.state === "reminding" ? "Payment reminder" : "Phone is active";
  $("phone-message").textContent = phone.state === "locked" ? (message ?? "") : "";
  $("phone-contact").textContent = phone.state === "locked" && contact?.phone ? `Call ${contact.phone} — emergency calls still work.` : "";
  $("unlock-form").hidden = phone.state !== "locked";
}

async function refreshPanels(): Promise<void> {
  $("clock-now").textContent = new Date(mock.clock.now()).toISOString();
  const account = await api.account(ACCOUNT);
  $("standing").textContent = account.body.standing;
  $("sync").textContent = account.body.sync.status + (account.body.sync.expectedBy ? ` (expected by ${account.body.sync.expectedBy})` : "");
}

async function heartbeat(): Promise<void> {
  if (!phone.device) return;
  phone.seq += 1;
  const nonce = crypto.randomUUID();
  const answer = await api.heartbeat(phone.device, phone.seq, phone.state, nonce);
  heartbeats.push({ body: answer.body, verified: answer.verified });
  const item = document.createElement("li");
  item.className = answer.verified ? "ok" : "bad";
  item.textContent = `#${phone.seq} ${answer.body.command.type} — signature ${answer.verified ? "verified" : "REJECTED"}`;
  $("heartbeats").append(item);
  if (!answer.verified) return; // a forged or replayed answer is ignored
  const command = answer.body.command;
  if (command.type === "lock") phone.state = "locked";
  if (command.type === "remind" && phone.state === "active") phone.state = "reminding";
  if (command.type === "unlock" || command.type === "release" || (command.type === "none" && phone.state === "reminding")) phone.state = "active";
  render(command.message, command.contact);
  await refreshPanels();
}

async function start(): Promise<void> {
  await startMocks();
  await api.register(IMEI, ACCOUNT);
  const checkin = await api.checkin(IMEI);
  phone.device = checkin.body;
  render();
  await refreshPanels();
  await heartbeat();

  $("heartbeat").addEventListener("click", () => void heartbeat());
  $("report-default").addEventListener("click", () => void api.reportDefault(ACCOUNT).then(refreshPanels));
  $("record-payment").addEventListener("click", () => void api.recordPayment(ACCOUNT).then(refreshPanels));
  $("issue-code").addEventListener("click", async () => {
    if (!phone.device) return;
    const issued = await api.issueCode(phone.device.deviceId);
    $("issued-code").textContent = issued.body.code ? `code ${issued.body.code}` : (issued.body.detail ?? "refused");
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-advance]")) {
    button.addEventListener("click", () => void mock.clock.advance(button.dataset.advance ?? "PT1H").then(refreshPanels));
  }
  $("unlock-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!phone.device) return;
    const answer = await api.unlock(phone.device, $<HTMLInputElement>("unlock-code").value.trim());
    if (answer.body.result === "accepted") {
      phone.state = "active";
      $("unlock-result").textContent = "";
      render();
    } else {
      $("unlock-result").textContent = answer.body.detail ?? "That code did not work.";
    }
  });
  document.body.dataset.ready = "true";
}

void start();
