#!/usr/bin/env python3
"""N rows of a Dutch spreadsheet export (';', Dutch headers) for the import
benchmark; row i depends only on i, so every run imports the same file."""
import sys

GIVEN = ["Jan", "Piet", "Anna", "Sanne", "Femke", "Daan", "Noor", "Lucas", "Emma", "Sem"]
PREFIX = ["", "van", "de", "van der", "van den", ""]
FAMILY = ["Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters",
          "Hendriks"]
CITY = ["Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen"]
L = "ABCEGHJKLMNPRTVX"
ROLE = ["klant", "leverancier", "partner", "klant;partner"]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    out = sys.stdout
    out.write("Voornaam;Tussenvoegsel;Achternaam;Bedrijfsnaam;E-mail;Telefoon;Straat;"
              "Huisnummer;Postcode;Plaats;Rol;Tags\n")
    for i in range(n):
        g, p, f = GIVEN[i % 10], PREFIX[(i // 10) % 6], FAMILY[(i // 60) % 10]
        pc = "%04d %s%s" % (1000 + i % 9000, L[i % 16], L[(i // 16) % 16])
        if i % 5 == 4:  # an organisation
            out.write(";;;%s Groep %d B.V.;info%d@bedrijf.example;0%d;Industrieweg;%d;%s;%s;%s;"
                      "bench\n" % (f, i, i, 201000000 + i % 99999999, 1 + i % 300, pc,
                                   CITY[i % 6], ROLE[i % 4]))
        else:
            out.write("%s;%s;%s;;%s.%s%d@example.nl;06%08d;Dorpsstraat;%d;%s;%s;%s;bench\n"
                      % (g, p, f, g.lower(), f.lower(), i, i % 100000000, 1 + i % 300, pc,
                         CITY[i % 6], ROLE[i % 4]))


if __name__ == "__main__":
    main()
