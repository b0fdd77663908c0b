document.getElementById("route").innerHTML =
  '<p style="color:#bbb;background:#fff">12 events this week.</p>';
