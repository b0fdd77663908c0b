from kuva_audit.cli import main

main()
