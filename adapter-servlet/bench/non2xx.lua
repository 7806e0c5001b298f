-- prints the first few non-2xx responses, so that a failing run says why
local shown = 0
response = function(status, headers, body)
  if (status < 200 or status > 299) and shown < 2 then
    shown = shown + 1
    io.write("NON2XX ", status, " ", string.gsub(string.sub(body or "", 1, 200), "\n", " "), "\n")
  end
end
