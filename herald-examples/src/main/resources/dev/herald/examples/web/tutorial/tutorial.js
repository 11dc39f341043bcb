// The tutorial page's script, shared by /tutorial/ (socket.io 4.x) and /tutorial-1x/ (1.3.6).
// Plain ES5, because the 1.x page is the tutorial's original and may run in old browsers too.
var started = null;
function show(text) {
  var li = document.createElement("li");
  var t = document.createElement("time");
  var now = Date.now();
  t.textContent = started === null ? "" : "+" + ((now - started) / 1000).toFixed(2) + " s";
  li.appendChild(t);
  li.appendChild(document.createTextNode(text));
  li.setAttribute("data-at", String(now));
  document.getElementById("log").appendChild(li);
}
var socket = io.connect(location.protocol + "//" + location.host + "/testnamespace");
socket.on("connect", function () {
  var s = document.getElementById("status");
  s.textContent = "connected";
  s.className = "status ok";
  document.getElementById("send").disabled = false;
});
socket.on("disconnect", function () {
  document.getElementById("status").textContent = "disconnected";
  document.getElementById("status").className = "status";
});
socket.on("response", function (data) { show(data.msg); });
document.getElementById("send").onclick = function () {
  started = Date.now();
  socket.emit("request_for_response", {param: "value"});
};
