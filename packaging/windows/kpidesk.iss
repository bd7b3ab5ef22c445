; Inno Setup script: a Windows installer around the PyInstaller one-folder build.
; Build on Windows: `pyinstaller packaging\kpidesk.spec` (gives dist\kpidesk\), then
; `iscc packaging\windows\kpidesk.iss` (gives dist\kpidesk-0.1.0-setup.exe).
; Not built in CI: Inno Setup runs only on Windows (see the README).

#define AppName "kpidesk"
#define AppVersion "0.1.0"
#define AppExe "kpidesk.exe"

[Setup]
; A fixed AppId: an upgrade replaces the installed version instead of adding a second one.
AppId={{6B1D5C7E-2F4A-4C1B-9A53-3E8F0D7A2C41}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=kpidesk
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
; Reps install it on their own laptop, often without administrator rights.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=kpidesk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole one-folder build: the executable, Python, Qt and the catalogues next to it.
Source: "..\..\dist\kpidesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The rep's data (the database, in %LOCALAPPDATA%\kpidesk) is never removed by the uninstaller.
