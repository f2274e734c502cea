# Golden Box-Cox lambdas from R's forecast::BoxCox.lambda (Guerrero's method)
# and one end-to-end decomposition, forecast::mstl(x, lambda = "auto").
# Run here: Rscript gen.R (R >= 4.2, forecast 8.20). Inputs are the CSV copies
# of R's datasets beside this file and ../stl/mstl_halfhourly_48_336.csv.
suppressMessages(library(forecast))
f17 <- function(x) sprintf("%.17g", x)
rd <- function(file, freq) ts(read.csv(file)[[2]], frequency = freq)
series <- list(
  AirPassengers = rd("AirPassengers.csv", 12),
  USAccDeaths = rd("USAccDeaths.csv", 12),
  UKDriverDeaths = rd("UKDriverDeaths.csv", 12),
  nottem = rd("nottem.csv", 12),
  sunspot.month = rd("sunspot.month.csv", 12),   # has zeros: lower becomes 0
  Nile = rd("Nile.csv", 1),                       # non-seasonal: subseries of 2
  halfhourly = ts(read.csv("../stl/mstl_halfhourly_48_336.csv")$y, frequency = 336)
)
# AirPassengers with holes: mean() and sd() drop the NAs
x <- series$AirPassengers; x[c(5, 30, 31, 100, 144)] <- NA
series$AirPassengers_na <- x
write.csv(data.frame(date = read.csv("AirPassengers.csv")$date, y = as.numeric(x)),
          "AirPassengers_na.csv", row.names = FALSE, quote = FALSE, na = "")
rows <- NULL
for (nm in names(series)) {
  x <- series[[nm]]
  for (lower in c(-1, -0.9)) {
    rows <- rbind(rows, data.frame(name = nm, frequency = frequency(x), lower = lower,
                                   lambda = f17(BoxCox.lambda(x, lower = lower))))
  }
}
write.csv(rows, "lambda.csv", row.names = FALSE, quote = FALSE)
# End to end: mstl on a plain ts (one stl() fit, s.window 11) of BoxCox(x, "auto")
x <- series$AirPassengers
m <- mstl(x, lambda = "auto")
write.csv(data.frame(date = read.csv("AirPassengers.csv")$date, y = as.numeric(x),
                     trend = f17(m[, "Trend"]), seasonal = f17(m[, "Seasonal12"]),
                     remainder = f17(m[, "Remainder"])),
          "airpass_mstl_auto.csv", row.names = FALSE, quote = FALSE)
cat(f17(attr(BoxCox(x, "auto"), "lambda")), "\n", file = "airpass_mstl_auto_lambda.txt")
