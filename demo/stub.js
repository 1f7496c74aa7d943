// The two-line stub of the README: calls made before cec-chat.js has loaded are queued and replayed.
// biome-ignore lint/complexity/noArguments: the README's two-line stub, as pages paste it (no rest syntax needed).
window.CecChat = window.CecChat || function () { (window.CecChat.q = window.CecChat.q || []).push(arguments); };
